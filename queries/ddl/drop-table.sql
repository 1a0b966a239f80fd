-- Dropping an EXTERNAL table removes only its definition, never the log objects; setup re-creates it so a changed
-- LogFormat or destination takes effect.
DROP TABLE IF EXISTS `{{database}}`.`{{table}}`
