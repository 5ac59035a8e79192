package dev.engagement.gateway.kafka;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

import dev.engagement.gateway.contract.EngagementResult;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.flow.EngagementLifecycle;
import dev.engagement.gateway.flow.FailureResponder;
import dev.engagement.gateway.store.EngagementReads;

/**
 * What the Kafka intake needs around the shared flow: a stable request id for every record, the
 * result record (keyed by request id, its status in a header) and the dead-letter record. Offsets are
 * committed by the consumer's commit manager (routes/kafka-intake.yaml).
 */
public class KafkaRecords {

    /** Exchange property holding the record's value exactly as it arrived (for the dead-letter topic). */
    public static final String ORIGINAL = "engagementKafkaOriginal";
    /** Exchange property: true once the record is to go to the dead-letter topic rather than have a result. */
    public static final String DEAD_LETTER = "engagementKafkaDeadLetter";
    /** Headers of a dead-letter record (all UTF-8 strings). */
    public static final String ERROR = "engagement-error";
    public static final String ERROR_CODE = "engagement-error-code";
    public static final String SOURCE = "engagement-source";
    /** Header of a result record: its status (success, pending, failed), so a consumer can filter without parsing. */
    public static final String STATUS = "engagement-status";

    private final ObjectMapper mapper;
    private final EngagementLifecycle lifecycle;
    private final EngagementReads reads;
    private final FailureResponder failures;

    public KafkaRecords(ObjectMapper mapper, EngagementLifecycle lifecycle, EngagementReads reads, FailureResponder failures) {
        this.mapper = mapper;
        this.lifecycle = lifecycle;
        this.reads = reads;
        this.failures = failures;
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
     * The dead-letter record: the original bytes, unchanged, with the contract-shaped failure
     * (EngagementResult JSON) and where the record came from in headers. The key stays the original.
     */
    public void deadLetter(Exchange exchange) {
        Message message = exchange.getMessage();
        EngagementResult failure = message.getBody(EngagementResult.class);
        message.setHeader(ERROR, new String(json(failure), StandardCharsets.UTF_8));
        message.setHeader(ERROR_CODE, failure.error() == null ? ErrorCode.INTERNAL_ERROR.name() : failure.error().code().name());
        message.setHeader(SOURCE, message.getHeader(KafkaConstants.TOPIC) + "/" + message.getHeader(KafkaConstants.PARTITION)
                + "/" + message.getHeader(KafkaConstants.OFFSET));
        byte[] original = exchange.getProperty(ORIGINAL, byte[].class);
        message.setBody(original == null ? new byte[0] : original);
        exchange.setProperty(DEAD_LETTER, true);
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON", e);
        }
    }
}
