/** One ECharts wrapper for the goals and funnel screens: tree-shaken core with only the charts we draw. */
import EChartsReactCoreModule from 'echarts-for-react/esm/core.js';
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, LineChart, PieChart, SankeyChart, ScatterChart } from 'echarts/charts';
import { DatasetComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';

echarts.use([BarChart, FunnelChart, LineChart, PieChart, SankeyChart, ScatterChart, DatasetComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

export type { EChartsOption };

// The package ships CommonJS typings; whichever way the bundler hands over the default export, use the component.
type CoreComponent = typeof EChartsReactCoreModule extends { default: infer D } ? D : typeof EChartsReactCoreModule;
const EChartsReactCore = ((EChartsReactCoreModule as unknown as { default?: CoreComponent }).default ?? EChartsReactCoreModule) as CoreComponent;

export function Chart({ option, height = 260, testId, onClick }: { option: EChartsOption; height?: number; testId?: string; onClick?: (p: { name: string; dataIndex: number; seriesName?: string }) => void }) {
  return (
    <div data-testid={testId}>
      <EChartsReactCore
        echarts={echarts}
        option={option}
        notMerge
        lazyUpdate
        style={{ height, width: '100%' }}
        onEvents={onClick ? { click: onClick } : undefined}
      />
    </div>
  );
}

export const PALETTE = { primary: '#228be6', good: '#12b886', warn: '#fab005', bad: '#fa5252', muted: '#ced4da', dark: '#495057' };
