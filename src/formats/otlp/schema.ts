import { z } from 'zod';

/**
 * Zod schemas for the OTLP/JSON metrics envelope (ExportMetricsServiceRequest as the Collector's
 * otlp_json encoder writes it: camelCase, enums as ints, 64-bit ints as strings). Each level is
 * parsed on its own so one bad metric does not lose its siblings; data points are checked by
 * hand in ./points.ts, which is several times faster than zod per point.
 */

const list = z.array(z.unknown());

export const requestSchema = z.object({ resourceMetrics: list.optional() });

export const resourceMetricsSchema = z.object({
  resource: z.object({ attributes: list.optional() }).optional(),
  scopeMetrics: list.optional(),
});

export const scopeMetricsSchema = z.object({ metrics: list.optional() });

/** 1 = delta, 2 = cumulative; the enum names are accepted too (both are valid protobuf JSON). */
const temporality = z
  .union([
    z.literal([0, 1, 2]),
    z.enum(['AGGREGATION_TEMPORALITY_UNSPECIFIED', 'AGGREGATION_TEMPORALITY_DELTA', 'AGGREGATION_TEMPORALITY_CUMULATIVE']),
  ], { error: 'must be 1 (delta), 2 (cumulative) or an AGGREGATION_TEMPORALITY_* name' })
  .transform((t): Temporality => (t === 1 || t === 'AGGREGATION_TEMPORALITY_DELTA' ? 'delta' : t === 2 || t === 'AGGREGATION_TEMPORALITY_CUMULATIVE' ? 'cumulative' : 'unspecified'));

export type Temporality = 'delta' | 'cumulative' | 'unspecified';

const points = z.object({ dataPoints: list.optional() });
const aggregated = points.extend({ aggregationTemporality: temporality.optional() });

export const metricSchema = z.object({
  name: z.string().trim().min(1, 'metric name is empty'),
  unit: z.string().optional(),
  gauge: points.optional(),
  sum: aggregated.extend({ isMonotonic: z.boolean().optional() }).optional(),
  histogram: aggregated.optional(),
  exponentialHistogram: aggregated.optional(),
  summary: points.optional(),
});

export type Metric = z.infer<typeof metricSchema>;
