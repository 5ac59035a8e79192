package dev.engagement.gateway.kafka;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engagement.gateway.contract.EngagementResult;
import dev.engagement.gateway.contract.ErrorBody;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.flow.EngagementLifecycle;
import dev.engagement.gateway.flow.FailureResponder;
import dev.engagement.gateway.store.EngagementReads;
import dev.engagement.gateway.store.StoreFailure;

/**
 * What the Kafka intake needs around the shared flow: a stable request id for every record, the
 * result record (keyed by request id, its status in a header) and the dead-letter record. Offsets are
 * committed by the consumer's commit manager (routes/kafka-intake.yaml).
 */
public class KafkaRecords {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRecords.class);

    /** Exchange property holding the record's value exactly as it arrived (for the dead-letter topic). */
    public static final String ORIGINAL = "engagementKafkaOriginal";
    /** Exchange property: true once the record is to go to the dead-letter topic rather than have a result. */
    public static final String DEAD_LETTER = "engagementKafkaDeadLetter";
    /** Headers of a dead-letter record (all UTF-8 strings). */
    public static final String ERROR = "engagement-error";
    public static final String ERROR_CODE = "engagement-error-code";
    public static final String SOURCE = "engagement-source";
    /** At most this many violations are listed in a dead letter's error header. */
    static final int MAX_HEADER_VIOLATIONS = 20;
    /** Header of a result record: its status (success, pending, failed), so a consumer can filter without parsing. */
    public static final String STATUS = "engagement-status";

    private final ObjectMapper mapper;
    private final EngagementLifecycle lifecycle;
    private final EngagementReads reads;
    private final FailureResponder failures;
    private final Counter parked;

    public KafkaRecords(ObjectMapper mapper, EngagementLifecycle lifecycle, EngagementReads reads, FailureResponder failures,
                        MeterRegistry meters) {
        this.mapper = mapper;
        this.lifecycle = lifecycle;
        this.reads = reads;
        this.failures = failures;
        this.parked = Counter.builder("engagement.kafka.dead.letters.parked")
                .description("Dead letters Kafka would not take, kept in the SQL table kafka_dead_letters instead").register(meters);
    }

    /** The request id of a record that has none: where it sits in the log, the same on every redelivery. */
    public static String derivedRequestId(String topic, int partition, long offset) {
        return "kafka:" + topic + ":" + partition + ":" + offset;
    }

    /**
     * Keeps the original bytes, and gives a JSON object without {@code request_id} the one derived
     * from topic/partition/offset, so a redelivered record is recognised as the same request.
     * Anything that is not a JSON object is left as it is: validation refuses it.
     */
    public void identify(Exchange exchange) {
        Message in = exchange.getMessage();
        byte[] value = in.getBody(byte[].class);
        exchange.setProperty(ORIGINAL, value);
        JsonNode node;
        try {
            node = value == null ? null : mapper.readTree(value);
        } catch (java.io.IOException e) {
            return;
        }
        if (node instanceof ObjectNode object && !object.has("request_id")) {
            object.put("request_id", derivedRequestId(in.getHeader(KafkaConstants.TOPIC, String.class),
                    in.getHeader(KafkaConstants.PARTITION, Integer.class), in.getHeader(KafkaConstants.OFFSET, Long.class)));
            in.setBody(json(object));
        }
    }

    /** The result record: the output contract (with request_id and engagement_id), keyed by request id. */
    public void result(Exchange exchange) {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        EngagementResult result = body instanceof Engagement e ? lifecycle.answerFor(e) : (EngagementResult) body;
        message.setHeader(KafkaConstants.KEY, result.requestId() != null ? result.requestId() : result.engagementId());
        message.setHeader(STATUS, result.status());
        message.setBody(json(result));
    }

    /**
     * After a reviewer's decision over HTTP: the decided engagement (its answer names it), when it
     * reached a final state; null for answers about no engagement of ours (not found, unauthorized).
     */
    public Engagement decided(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        String id = null;
        try {
            if (body instanceof Engagement e) {
                id = e.getId();
            } else if (body instanceof EngagementResult r) {
                id = r.engagementId();
            } else if (body != null) {
                id = mapper.readTree(exchange.getMessage().getBody(byte[].class)).path("engagement_id").asText(null);
            }
        } catch (java.io.IOException e) {
            return null;
        }
        return id == null ? null : reads.find(id).filter(e -> e.getState().isFinal()).orElse(null);
    }

    /**
     * A failure after the engagement was admitted: recorded on it like HTTP does, and its result is
     * published. When another consumer moved the engagement first (a redelivery racing the original
     * owner), the engagement is answered as it stands instead of with that race's CONFLICT.
     */
    public void settle(Exchange exchange) {
        Engagement e = exchange.getMessage().getBody(Engagement.class);
        if (!e.isReplayed()) {
            failures.toResult(exchange);
            EngagementResult r = exchange.getMessage().getBody(EngagementResult.class);
            if (r.error() == null || r.error().code() != ErrorCode.CONFLICT) {
                return;
            }
        }
        exchange.getMessage().setBody(reads.find(e.getId()).orElse(e));
    }

    /**
     * While the database is away a record is neither answered nor dead-lettered (and so not committed): its
     * failure goes back to the batch, which tries it again until the database answers (KafkaPolls).
     */
    public void pauseWhileDatabaseAway(Exchange exchange) throws Exception {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (caught != null && StoreFailure.isUnavailable(caught)) {
            throw caught;
        }
    }

    /**
     * The dead-letter record: the original bytes, unchanged, with the contract-shaped failure
     * (EngagementResult JSON) and where the record came from in headers. The key stays the original.
     */
    public void deadLetter(Exchange exchange) {
        Message message = exchange.getMessage();
        EngagementResult failure = boundedForHeader(message.getBody(EngagementResult.class));
        message.setHeader(ERROR, new String(json(failure), StandardCharsets.UTF_8));
        message.setHeader(ERROR_CODE, failure.error() == null ? ErrorCode.INTERNAL_ERROR.name() : failure.error().code().name());
        message.setHeader(SOURCE, message.getHeader(KafkaConstants.TOPIC) + "/" + message.getHeader(KafkaConstants.PARTITION)
                + "/" + message.getHeader(KafkaConstants.OFFSET));
        byte[] original = exchange.getProperty(ORIGINAL, byte[].class);
        message.setBody(original == null ? new byte[0] : original);
        exchange.setProperty(DEAD_LETTER, true);
    }

    /**
     * The failure as the error header carries it: at most MAX_HEADER_VIOLATIONS violations (a record with
     * 100,000 unknown keys has one each), the message saying how many more there were.
     */
    static EngagementResult boundedForHeader(EngagementResult failure) {
        ErrorBody error = failure.error();
        if (error == null || error.violations() == null || error.violations().size() <= MAX_HEADER_VIOLATIONS) {
            return failure;
        }
        int more = error.violations().size() - MAX_HEADER_VIOLATIONS;
        ErrorBody bounded = new ErrorBody(error.code(), error.message() + " (" + more + " more violations not listed)", error.retryable(),
                error.retryAfter(), error.platform(), error.target(), List.copyOf(error.violations().subList(0, MAX_HEADER_VIOLATIONS)));
        return new EngagementResult(failure.status(), failure.engagementId(), failure.requestId(), failure.platformResponse(), bounded);
    }

    /**
     * A dead letter Kafka would not take (too large with its headers, or Kafka away past the producer's own
     * retries): its parameters for routes/sql/park-dead-letter.sql, so it is kept in SQL and its record is done.
     */
    public void parkDeadLetter(Exchange exchange) {
        Message m = exchange.getMessage();
        Throwable why = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = why == null ? "unknown" : rootMessage(why);
        m.setHeader("parkedSource", m.getHeader(SOURCE));
        m.setHeader("parkedKey", m.getHeader(KafkaConstants.KEY, String.class));
        m.setHeader("parkedValue", m.getBody(byte[].class));
        m.setHeader("parkedErrorCode", m.getHeader(ERROR_CODE));
        m.setHeader("parkedError", m.getHeader(ERROR));
        m.setHeader("parkedReason", reason.length() > 2000 ? reason.substring(0, 2000) : reason);
        m.setHeader("now", OffsetDateTime.now(ZoneOffset.UTC));
        parked.increment();
        LOG.warn("Kafka did not take the dead letter of record {} ({}): kept in the SQL table kafka_dead_letters", m.getHeader(SOURCE), reason);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON", e);
        }
    }
}
