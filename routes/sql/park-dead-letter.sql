-- A dead letter Kafka would not take: the original record and its contract-shaped error (routes/kafka-intake.yaml).
--   :#parkedSource     <topic>/<partition>/<offset> of the record
--   :#parkedKey        its key (the account), or null
--   :#parkedValue      its original bytes
--   :#parkedErrorCode  the error's code, e.g. VALIDATION_FAILED
--   :#parkedError      the EngagementResult JSON of the engagement-error header
--   :#parkedReason     why Kafka did not take the dead letter
INSERT INTO kafka_dead_letters (source, record_key, record_value, error_code, error_json, reason, parked_at)
VALUES (:#parkedSource, :#parkedKey, :#parkedValue, :#parkedErrorCode, :#parkedError, :#parkedReason, :#now)
