-- coverage-flow: what the flow-log table holds for a window, per hour of record start — the data behind every answer
-- (hours without any record are gaps; SKIPDATA = records AWS dropped, NODATA = an interval without traffic; the latest
-- record end tells how far delivery has got). The Athena engine runs it beside each flow query; with result reuse the
-- same window costs once.
-- @params day_from day_to t_from t_to
SELECT
  CAST(floor("start" / 3600) * 3600 AS BIGINT) AS hour,
  count(*) AS records,
  sum(CASE WHEN log_status = 'SKIPDATA' THEN 1 ELSE 0 END) AS skipdata,
  sum(CASE WHEN log_status = 'NODATA' THEN 1 ELSE 0 END) AS nodata,
  max("end") AS newest
FROM vpc_flow_logs_nat
WHERE day BETWEEN ? AND ?
  AND "start" >= ? AND "start" < ?
GROUP BY 1
