-- doctor-recent: are log records arriving? One row: 1 when the table has a record in the window, else 0, per table.
-- LIMIT 1 lets either engine stop at the first match, so `egress doctor` costs little even on Athena.
-- @params day_from day_to t_from t_to dns_day_from dns_day_to dns_from dns_to
SELECT
  (SELECT count(*) FROM (
    SELECT 1 AS x FROM vpc_flow_logs_nat
    WHERE day BETWEEN ? AND ? AND "start" >= ? AND "start" < ?
    LIMIT 1) f) AS flow_records,
  (SELECT count(*) FROM (
    SELECT 1 AS x FROM resolver_query_logs
    WHERE day BETWEEN ? AND ?
      AND to_unixtime(from_iso8601_timestamp(query_timestamp)) >= ?
      AND to_unixtime(from_iso8601_timestamp(query_timestamp)) < ?
    LIMIT 1) d) AS dns_records
