package dev.engagement.gateway.batch;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engagement.gateway.contract.ContractValidator;
import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.Violation;

/**
 * Opens a batch: a JSON array of requests, or {@code {"requests": [...]}}, with 1 to max-size
 * items. Only the envelope is judged here (a malformed or oversized batch is one 400
 * VALIDATION_FAILED); each item is handed on as its own JSON body, so it goes through exactly the
 * same {@code direct:submit} flow — and the same contract validation — as a single request.
 */
public class BatchEnvelope {

    private final ContractValidator contract;
    private final ObjectMapper mapper;
    private final int maxSize;

    public BatchEnvelope(ContractValidator contract, ObjectMapper mapper, int maxSize) {
        this.contract = contract;
        this.mapper = mapper;
        this.maxSize = maxSize;
    }

    /** The items of the batch, each as the JSON bytes of one request, in the order sent. */
    public List<byte[]> items(byte[] body) {
        JsonNode node = contract.parse(body);
        String at = "";
        JsonNode items = node;
        if (node.isObject()) {
            at = "/requests";
            items = node.get("requests");
            List<Violation> extra = new ArrayList<>();
            node.fieldNames().forEachRemaining(f -> {
                if (!f.equals("requests")) {
                    extra.add(new Violation("/" + f, "unknown property '" + f + "': a batch is {\"requests\": [...]}"));
                }
            });
            if (items == null) {
                extra.add(0, new Violation("/requests", "required property 'requests' not found"));
            }
            if (!extra.isEmpty()) {
                throw EngagementFailure.validation(extra);
            }
        }
        if (!items.isArray()) {
            throw EngagementFailure.validation(List.of(new Violation(at,
                    "a batch is a JSON array of engagement requests (or {\"requests\": [...]})")));
        }
        if (items.isEmpty() || items.size() > maxSize) {
            throw EngagementFailure.validation(List.of(new Violation(at,
                    "a batch holds 1 to " + maxSize + " requests (got " + items.size() + ")")));
        }
        List<byte[]> out = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            try {
                out.add(mapper.writeValueAsBytes(item));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot re-serialise a parsed item", e);
            }
        }
        return out;
    }
}
