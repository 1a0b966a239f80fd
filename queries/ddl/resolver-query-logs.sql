-- Route 53 Resolver query logs (one JSON document per line) of the VPC, partitioned by delivery day through
-- projection. Resolver logs cannot name pods (the source is CoreDNS); egress uses them only to map IPs to names.
CREATE EXTERNAL TABLE `{{database}}`.`resolver_query_logs` (
  `version` string,
  `account_id` string,
  `region` string,
  `vpc_id` string,
  `query_timestamp` string,
  `query_name` string,
  `query_type` string,
  `query_class` string,
  `rcode` string,
  `answers` array<struct<Rdata:string,Type:string,Class:string>>,
  `srcaddr` string,
  `srcport` int,
  `transport` string,
  `srcids` struct<instance:string,resolver_endpoint:string>
)
PARTITIONED BY (`day` string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '{{location}}'
TBLPROPERTIES (
{{properties}}
)
