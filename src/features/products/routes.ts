import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../kernel/actor.ts';
import type { Db } from '../../kernel/db/index.ts';
import { errorResponses, idParams } from '../../kernel/http-schemas.ts';
import { parseIfMatch } from '../../kernel/resource.ts';
import { accountOrderLines, getDealLines, getOrderLines, getPriceItems, priceFor, productUsage, putDealLines, putOrderLines, putPriceItems } from './commands.ts';
import { quoteHtml } from './quote-document.ts';
import type { QuoteLanguage } from './rules.ts';
import { createQuote, getQuote, listQuotes, quoteContext, renderPdf, updateQuote } from './quotes.ts';
import { priceListResource, productResource } from './resource.ts';
import {
  dealLines, dealLinesPut, langQuery, lineRecord, orderLines, orderLinesPut, priceAnswer, priceItems, priceItemsPut, priceQuery, productUsage as productUsageSchema, quote, quoteCreate,
  quoteListQuery, quoteUpdate,
} from './schemas.ts';

export function productRoutes(app: FastifyInstance, db: Db) {
  productResource.routes(app, () => db);
  priceListResource.routes(app, () => db);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const etag = (reply: { header: (k: string, v: string) => unknown }, v: number) => reply.header('etag', `"${v}"`);

  r.get('/api/v1/products/:id/usage', {
    schema: { tags: ['products'], summary: 'Which accounts buy a product, the open deals that carry it, its orders per month (24 months)', params: idParams, response: { 200: productUsageSchema, ...errorResponses } },
    handler: async (req) => productUsage(db, req.actor!, req.params.id),
  });

  r.get('/api/v1/price-lists/:id/items', {
    schema: { tags: ['price-lists'], summary: 'The prices of a list: one row per product and minimum quantity (volume tiers)', params: idParams, response: { 200: priceItems, ...errorResponses } },
    handler: async (req, reply) => {
      const out = await getPriceItems(db, req.actor!, req.params.id);
      etag(reply, out.version);
      return out;
    },
  });
  r.put('/api/v1/price-lists/:id/items', {
    schema: {
      tags: ['price-lists'], summary: 'Replace the prices of a list', params: idParams, body: priceItemsPut,
      description: 'Send the price list version as `If-Match: "<version>"`; a stale version gets 409.',
      response: { 200: priceItems, ...errorResponses },
    },
    handler: async (req, reply) => {
      const out = await putPriceItems(db, req.actor!, req.params.id, parseIfMatch(req.headers['if-match'], undefined), req.body.items);
      etag(reply, out.version);
      return out;
    },
  });
  r.get('/api/v1/prices', {
    schema: {
      tags: ['price-lists'], summary: 'The unit price of a product for a quantity, currency and day (the rule deal lines use), with its tiers',
      querystring: priceQuery, response: { 200: priceAnswer, ...errorResponses },
    },
    handler: async (req) => priceFor(db, req.actor!, req.query),
  });

  r.get('/api/v1/opportunities/:id/lines', {
    schema: { tags: ['opportunities'], summary: 'The product lines of a deal, its currency and totals', params: idParams, response: { 200: dealLines, ...errorResponses } },
    handler: async (req, reply) => {
      const out = await getDealLines(db, req.actor!, req.params.id);
      etag(reply, out.version);
      return out;
    },
  });
  r.put('/api/v1/opportunities/:id/lines', {
    schema: {
      tags: ['opportunities'], summary: 'Replace the product lines of a deal; its amount becomes their sum', params: idParams, body: dealLinesPut,
      description: 'Send the deal version as `If-Match: "<version>"` (409 when someone changed the deal meanwhile). Prices come from the price list unless given; a discount or a price below the list needs a reason. Each line total is rounded to cents, the amount is the sum of the line totals (docs/products.md).',
      response: { 200: dealLines, ...errorResponses },
    },
    handler: async (req, reply) => {
      const out = await putDealLines(db, req.actor!, req.params.id, parseIfMatch(req.headers['if-match'], undefined), req.body);
      etag(reply, out.version);
      return out;
    },
  });

  r.get('/api/v1/orders/:id/lines', {
    schema: { tags: ['orders'], summary: 'The product lines of an order', params: idParams, response: { 200: orderLines, ...errorResponses } },
    handler: async (req, reply) => {
      const out = await getOrderLines(db, req.actor!, req.params.id);
      etag(reply, out.version);
      return out;
    },
  });
  r.put('/api/v1/orders/:id/lines', {
    schema: {
      tags: ['orders'], summary: 'Replace the product lines of an order; its amount becomes their sum', params: idParams, body: orderLinesPut,
      description: 'Send the order version as `If-Match: "<version>"`. Prices default to the order currency\'s price list on the order date.',
      response: { 200: orderLines, ...errorResponses },
    },
    handler: async (req, reply) => {
      const out = await putOrderLines(db, req.actor!, req.params.id, parseIfMatch(req.headers['if-match'], undefined), req.body.lines);
      etag(reply, out.version);
      return out;
    },
  });

  r.get('/api/v1/accounts/:id/order-lines', {
    schema: {
      tags: ['orders'], summary: 'The product lines of an account\'s orders, newest order first (at most 500)', params: idParams,
      response: { 200: z.object({ data: z.array(lineRecord.extend({ orderId: z.uuid(), orderNumber: z.string().nullable(), orderedAt: z.string(), currency: z.string() })) }), ...errorResponses },
    },
    handler: async (req) => accountOrderLines(db, req.actor!, req.params.id),
  });

  r.get('/api/v1/quotes', {
    schema: { tags: ['quotes'], summary: 'Quotes of a deal or an account, newest first', querystring: quoteListQuery, response: { 200: z.object({ data: z.array(quote) }), ...errorResponses } },
    handler: async (req) => listQuotes(db, req.actor!, req.query),
  });
  r.post('/api/v1/opportunities/:id/quotes', {
    schema: { tags: ['quotes'], summary: 'Make a quote from the deal\'s lines (a new number, revision 1)', params: idParams, body: quoteCreate, response: { 201: quote, ...errorResponses } },
    handler: async (req, reply) => {
      const out = await createQuote(db, req.actor!, req.params.id, req.body);
      reply.code(201);
      etag(reply, out.version);
      return out;
    },
  });
  r.get('/api/v1/quotes/:id', {
    schema: { tags: ['quotes'], summary: 'Get one quote', params: idParams, response: { 200: quote, ...errorResponses } },
    handler: async (req, reply) => {
      const out = await getQuote(db, req.actor!, req.params.id);
      etag(reply, out.version);
      return out;
    },
  });
  r.patch('/api/v1/quotes/:id', {
    schema: {
      tags: ['quotes'], summary: 'Edit a draft quote or move it along: draft → sent → accepted | rejected | expired', params: idParams, body: quoteUpdate,
      description: 'Send the version as `If-Match` or `version`. Accepting creates the order with the quote\'s lines (unless createOrder is false).',
      response: { 200: quote, ...errorResponses },
    },
    handler: async (req, reply) => {
      const { version, ...rest } = req.body;
      const out = await updateQuote(db, req.actor!, req.params.id, parseIfMatch(req.headers['if-match'], version), rest);
      etag(reply, out.version);
      return out;
    },
  });
  r.post('/api/v1/quotes/:id/revise', {
    schema: { tags: ['quotes'], summary: 'A new revision of a quote (same number) from the deal\'s lines as they are now', params: idParams, body: quoteCreate, response: { 201: quote, ...errorResponses } },
    handler: async (req, reply) => {
      const prev = await getQuote(db, req.actor!, req.params.id);
      const out = await createQuote(db, req.actor!, prev.opportunityId, req.body, prev.id);
      reply.code(201);
      return out;
    },
  });
  const document = async (actor: Actor, id: string, lang: QuoteLanguage | undefined) => {
    const q = await getQuote(db, actor, id);
    const ctx = await quoteContext(db, actor, q);
    return { q, html: quoteHtml(q, ctx, lang ?? q.language) };
  };
  r.get('/api/v1/quotes/:id/html', {
    schema: { tags: ['quotes'], summary: 'The printable quote page (HTML) in the quote\'s language or ?lang=', params: idParams, querystring: langQuery, produces: ['text/html'] },
    handler: async (req, reply) => {
      const { html } = await document(req.actor!, req.params.id, req.query.lang);
      // The page is shown inside the app (an iframe of the same origin): no scripts, no framing by others.
      return reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'").header('x-frame-options', 'SAMEORIGIN').send(html);
    },
  });
  r.get('/api/v1/quotes/:id/pdf', {
    schema: {
      tags: ['quotes'], summary: 'The quote as a PDF (printed by headless Chromium); 503 when no browser is available', params: idParams, querystring: langQuery, produces: ['application/pdf'],
    },
    handler: async (req, reply) => {
      const { q, html } = await document(req.actor!, req.params.id, req.query.lang);
      const pdf = await renderPdf(html);
      const name = `${q.number}${q.revision > 1 ? `-R${q.revision}` : ''}.pdf`;
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${name}"`).send(pdf);
    },
  });
}
