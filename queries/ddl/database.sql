-- The Glue database that holds egress's two tables.
CREATE DATABASE IF NOT EXISTS `{{database}}`
