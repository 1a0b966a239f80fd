-- from-pods: everything a set of pod addresses sent to the internet (`from <selector>`), as NAT legs grouped per pod
-- IP, address, port and record start, so every leg can be matched against the time the selected pod held the IP.
-- Counted as who.sql counts (the two translated records of a connection):
--   leg 'out': pod -> NAT, pkt_srcaddr = one of the pod addresses (flows, rejects, bytes out)
--   leg 'in' : NAT -> pod, pkt_dstaddr = one of the pod addresses (bytes in; port = srcport)
-- The caller keeps the legs whose external side is an internet address (its classifier): per-row range tests in SQL
-- would be pushed below the grouping and run once per record.
-- @params ips day_from day_to t_from t_to
WITH pods AS (
  SELECT DISTINCT t.ip FROM UNNEST(split(?, ',')) AS t(ip)
),
legs AS (
  SELECT
    CASE WHEN o.ip IS NOT NULL THEN 'out' ELSE 'in' END AS leg,
    CASE WHEN o.ip IS NOT NULL THEN r.pkt_srcaddr ELSE r.pkt_dstaddr END AS pod_ip,
    CASE WHEN o.ip IS NOT NULL THEN r.pkt_dstaddr ELSE r.pkt_srcaddr END AS external_ip,
    CASE WHEN o.ip IS NOT NULL THEN r.dstport ELSE r.srcport END AS port,
    r.protocol,
    r."start" AS ts,
    count(*) AS flows,
    sum(CASE WHEN r.action = 'REJECT' THEN 1 ELSE 0 END) AS rejected,
    sum(r.bytes) AS bytes
  FROM vpc_flow_logs_nat r
  LEFT JOIN pods o ON o.ip = r.pkt_srcaddr
  WHERE r.day BETWEEN ? AND ?
    AND r."start" >= ? AND r."start" < ?
    AND (r.pkt_srcaddr IN (SELECT ip FROM pods) OR r.pkt_dstaddr IN (SELECT ip FROM pods))
    AND (r.srcaddr <> r.pkt_srcaddr OR r.dstaddr <> r.pkt_dstaddr)
  GROUP BY 1, 2, 3, 4, 5, 6
)
SELECT leg, pod_ip, external_ip, port, protocol, ts, flows, rejected, bytes
FROM legs
