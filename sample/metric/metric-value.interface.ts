/** The metric route's answer: all three fields are strings, as the technote specifies. */
export interface MetricValue {
  jobname: string;
  metric: string;
  value: string;
}
