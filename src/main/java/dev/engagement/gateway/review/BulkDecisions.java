package dev.engagement.gateway.review;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import dev.engagement.gateway.contract.ContractValidator;
import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.Violation;

/**
 * Opens a bulk decision (POST /approvals/decisions, routes/approvals.yaml):
 * <pre>
 * {"reviewer": "maria", "note": "obvious likes",
 *  "decisions": [{"engagement_id": "eng_...", "decision": "approve"},
 *                {"engagement_id": "eng_...", "decision": "reject", "note": "off-brand"},
 *                {"engagement_id": "eng_...", "decision": "approve", "content": "edited text"}]}
 * </pre>
 * Only the envelope is judged here (one 400 for a malformed one, an id listed twice, or more than
 * engagement.approvals.bulk-max-size items); each item becomes the body of its own approve or reject, the
 * envelope's reviewer and note its defaults, so it is checked and decided exactly like a single decision.
 */
public class BulkDecisions {

    /** Header: approve or reject, for the item route's choice. */
    public static final String VERDICT = "verdict";
    private static final List<String> VERDICTS = List.of("approve", "reject");
    private static final List<String> ENVELOPE = List.of("reviewer", "note", "decisions");
    private static final List<String> ITEM = List.of("engagement_id", "decision", "reviewer", "note", "content", "override");

    /** One item: the engagement, approve or reject, and its decision body. */
    public record Item(String engagementId, String verdict, byte[] decision) {
    }

    private final ContractValidator json;
    private final ObjectMapper mapper;
    private final int maxSize;

    public BulkDecisions(ContractValidator json, ObjectMapper mapper, int maxSize) {
        this.json = json;
        this.mapper = mapper;
        this.maxSize = maxSize;
    }

    /** The items, in the order sent. */
    public List<Item> items(byte[] body) {
        JsonNode node = json.parse(body);
        List<Violation> violations = new ArrayList<>();
        if (!node.isObject()) {
            throw EngagementFailure.validation(List.of(new Violation("",
                    "expected {\"reviewer\": \"...\", \"decisions\": [{\"engagement_id\": \"...\", \"decision\": \"approve\"}, ...]}")));
        }
        unknown(node, ENVELOPE, "", violations);
        JsonNode decisions = node.path("decisions");
        if (!decisions.isArray() || decisions.isEmpty() || decisions.size() > maxSize) {
            violations.add(new Violation("/decisions", "an array of 1 to " + maxSize + " decisions (engagement.approvals.bulk-max-size)"));
            throw EngagementFailure.validation(violations);
        }
        List<Item> items = new ArrayList<>(decisions.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < decisions.size(); i++) {
            JsonNode d = decisions.get(i);
            String at = "/decisions/" + i;
            if (!d.isObject()) {
                violations.add(new Violation(at, "expected {\"engagement_id\": \"...\", \"decision\": \"approve\" | \"reject\"}"));
                continue;
            }
            unknown(d, ITEM, at, violations);
            String id = d.path("engagement_id").isTextual() ? d.get("engagement_id").asText() : null;
            if (id == null) {
                violations.add(new Violation(at + "/engagement_id", "required: the id of a pending engagement"));
            } else if (!seen.add(id)) {
                violations.add(new Violation(at + "/engagement_id", "listed twice: each engagement is decided once"));
            }
            String verdict = d.path("decision").asText(null);
            if (!VERDICTS.contains(verdict)) {
                violations.add(new Violation(at + "/decision", "required: \"approve\" or \"reject\""));
            }
            ObjectNode decision = mapper.createObjectNode();
            for (String field : List.of("reviewer", "note")) {
                if (node.has(field)) {
                    decision.set(field, node.get(field));
                }
            }
            d.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("engagement_id") && !f.getKey().equals("decision")) {
                    decision.set(f.getKey(), f.getValue());
                }
            });
            items.add(new Item(id, verdict, bytes(decision)));
        }
        if (!violations.isEmpty()) {
            throw EngagementFailure.validation(violations);
        }
        return items;
    }

    /** One item as the exchange its approve or reject route expects: headers id and verdict, the decision as the body. */
    public void open(Exchange exchange) {
        Message m = exchange.getMessage();
        Item item = m.getBody(Item.class);
        m.setHeader("id", item.engagementId());
        m.setHeader(VERDICT, item.verdict());
        m.setBody(item.decision());
    }

    private static void unknown(JsonNode node, List<String> known, String at, List<Violation> violations) {
        node.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                violations.add(new Violation(at + "/" + f, "unknown property; expected one of " + known));
            }
        });
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
