/** ECharts with only the parts these screens use (scatter, bars, lines), so the chunk stays small. */
import ReactEChartsCore from 'echarts-for-react/esm/core.js';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { CSSProperties } from 'react';

echarts.use([ScatterChart, BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, CanvasRenderer]);

export function Chart({ option, style, onEvents }: { option: object; style?: CSSProperties; onEvents?: Record<string, (e: unknown) => void> }) {
  return <ReactEChartsCore echarts={echarts} option={option} style={style ?? { height: 400 }} notMerge onEvents={onEvents} />;
}
