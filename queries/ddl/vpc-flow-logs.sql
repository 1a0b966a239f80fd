-- The NAT gateway ENI flow logs as queries/*.sql read them. Rendered by src/setup/ddl.ts: DDL takes no execution
-- parameters, so every value spliced in below was validated first (identifiers, bucket, prefix, account, region).
-- Columns are the flow log's LogFormat fields in that order (text objects are read by position); `day` is projected
-- from the destination's S3 layout, so no partition is ever added by hand. For a per-hour destination it is projected
-- per hour and holds the hour folder too (`2026/11/20/05`): the queries' one `day BETWEEN ? AND ?` predicate then
-- prunes hours there and days on a daily destination.
CREATE EXTERNAL TABLE `{{database}}`.`vpc_flow_logs_nat` (
{{columns}}
)
PARTITIONED BY ({{partitions}})
{{storage}}
LOCATION '{{location}}'
TBLPROPERTIES (
{{properties}}
)
