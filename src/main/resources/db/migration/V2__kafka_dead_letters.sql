-- Dead letters Kafka would not take (too large with their error headers, or Kafka away past the retries):
-- kept here so their records count as done and their partitions go on (routes/kafka-intake.yaml).
-- Portable SQL: the same migration runs on H2 (embedded default) and PostgreSQL.
CREATE TABLE kafka_dead_letters (
    source        VARCHAR(400)    NOT NULL,
    record_key    VARCHAR(4000),
    record_value  BYTEA,
    error_code    VARCHAR(32)     NOT NULL,
    error_json    VARCHAR(40000)  NOT NULL,
    reason        VARCHAR(2000)   NOT NULL,
    parked_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX ix_kafka_dead_letters_parked_at ON kafka_dead_letters (parked_at);
