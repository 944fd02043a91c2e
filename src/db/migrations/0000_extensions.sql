-- pg_trgm backs substring search on names and emails (Chinese included: ILIKE rechecks every candidate).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- UUIDv7 for ids made in set-based SQL (imports, generators); PostgreSQL 15 has no built-in.
-- A random v4 uuid with its first 48 bits replaced by Unix milliseconds and its version nibble set to 7
-- (the v4 variant bits are already the RFC 9562 ones).
CREATE OR REPLACE FUNCTION uuid_generate_v7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT encode(set_byte(b, 6, (get_byte(b, 6) & 15) | 112), 'hex')::uuid
  FROM (SELECT overlay(uuid_send(gen_random_uuid())
                       PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                       FROM 1 FOR 6) AS b) s
$$;
