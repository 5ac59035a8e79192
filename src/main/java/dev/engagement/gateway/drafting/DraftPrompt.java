package dev.engagement.gateway.drafting;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.engagement.TargetInfo;
import dev.engagement.gateway.platform.ContentLength;
import dev.engagement.gateway.platform.PlatformCatalog;

/**
 * The request routes/drafting.yaml sends to the language model: an OpenAI chat completion
 * ({@code POST <base-url>/chat/completions}) whose system message is engagement.drafting.instructions and whose user
 * message says what to answer (the target's text and author, as the platform's lookup showed them), in which persona
 * (its constraints, with the skill's meaning of each) and within which limit (the platform's, by its own counting).
 * The API key, when there is one, goes only into the Authorization header of this request.
 */
public class DraftPrompt {

    /** The skill's meaning of each persona constraint (skill_engagement_manage, "Persona Constraints"). */
    private static final Map<String, String> MEANINGS = Map.of(
            "professional", "formal tone, business-focused",
            "casual", "friendly, conversational tone",
            "authentic", "genuine, personal; no canned phrases, no placeholders",
            "helpful", "supportive, solution-oriented",
            "concise", "short and to the point",
            "strategic", "aligned with the account's goals; no engagement bait");

    /** null while drafting is off. */
    private final LanguageModel model;
    private final PlatformCatalog catalog;
    private final ObjectMapper mapper;

    public DraftPrompt(LanguageModel model, PlatformCatalog catalog, ObjectMapper mapper) {
        this.model = model;
        this.catalog = catalog;
        this.mapper = mapper;
    }

    /** The chat-completions request for the engagement's draft, as the body, with its headers (and only those). */
    public String chatRequest(Engagement engagement, Exchange exchange) {
        if (model == null) {
            throw new IllegalStateException("Drafting is off (engagement.drafting.enabled=false): nothing is drafted");
        }
        Message m = exchange.getMessage();
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setHeader("Accept", "application/json");
        model.apiKey().ifPresent(key -> m.setHeader("Authorization", "Bearer " + key));
        ObjectNode body = mapper.createObjectNode();
        body.put("model", model.name());
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", model.instructions());
        messages.addObject().put("role", "user").put("content", ask(engagement));
        body.put("temperature", model.temperature());
        body.put("max_tokens", model.maxTokens());
        body.put("n", 1);
        body.put("stream", false);
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The user message: what to answer, in which persona, within which limit. */
    String ask(Engagement engagement) {
        EngagementRequest request = engagement.getRequest();
        PlatformCatalog.Platform platform = catalog.platform(request.platform());
        TargetInfo target = engagement.getTarget();
        StringBuilder ask = new StringBuilder();
        ask.append("Write a ").append(request.action()).append(" on ").append(platform.displayName()).append(" to ");
        if (target != null && target.text() != null && !target.text().isBlank()) {
            ask.append("this post").append(target.author() == null ? "" : " by " + target.author()).append(":\n\"\"\"\n")
                    .append(target.text().strip()).append("\n\"\"\"\n");
        } else {
            ask.append(request.target()).append(" (its text could not be read: keep the ").append(request.action())
                    .append(" short and neutral).\n");
        }
        List<String> constraints = request.constraints();
        if (!constraints.isEmpty()) {
            ask.append("Persona constraints:");
            for (String c : constraints) {
                String meaning = MEANINGS.get(c.toLowerCase(Locale.ROOT));
                ask.append("\n- ").append(c).append(meaning == null ? "" : ": " + meaning);
            }
            ask.append('\n');
        }
        ask.append("Limit: at most ").append(platform.maxContentLength()).append(" characters as ")
                .append(platform.displayName()).append(" counts them").append(counting(platform.counting()))
                .append(". Stay well within it.\n");
        ask.append("Answer with the text of the ").append(request.action())
                .append(" only: no quotation marks around it, no preamble, no notes.");
        return ask.toString();
    }

    private static String counting(ContentLength counting) {
        return switch (counting) {
            case TWITTER_WEIGHTED -> " (a link counts 23, an emoji or a CJK character 2)";
            case EMOJI_UTF8_BYTES -> " (an emoji counts 4 or more)";
            case CODE_POINTS -> "";
        };
    }
}
