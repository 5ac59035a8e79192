package dev.engagement.gateway.drafting;

import java.io.IOException;
import java.text.BreakIterator;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engagement.gateway.contract.ContractValidator;
import dev.engagement.gateway.contract.Violation;
import dev.engagement.gateway.engagement.Draft;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.flow.EngagementLifecycle;
import dev.engagement.gateway.platform.PlatformCatalog;

/**
 * Reads the language model's answer (routes/drafting.yaml). As the enrich's aggregation it keeps the answer, or why
 * there is none, on the engagement's exchange; {@link #check} then treats the text as untrusted: the chat
 * completion's {@code choices[0].message.content}, stripped of surrounding whitespace and quotation marks, not empty,
 * within the contract, and within the platform's limit by its own counting: a longer draft is cut at the last
 * sentence end that fits, else the last word, and the reviewer is told ({@link Draft#SHORTENED_RULE}). The draft
 * becomes the request's content and an event "drafted" (the model's name, how long it took) is noted. Every failure
 * is a contract failure ({@link DraftingFailures}).
 */
public class DraftChecker implements AggregationStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(DraftChecker.class);

    /** Exchange property: the model server's answer (its JSON text). */
    static final String ANSWER = "draftAnswer";
    /** Exchange property: why there is no answer (the call's exception). */
    static final String FAILURE = "draftFailure";
    /** Exchange property: how long the call took, in ms. */
    static final String MILLIS = "draftMillis";
    /** A chat completion for one post is a few KB; a server that sends more is not read to the end, nor held. */
    static final int MAX_ANSWER_BYTES = 1 << 20;

    /** The model server's answer was longer than {@link #MAX_ANSWER_BYTES}. */
    static final class AnswerTooLarge extends RuntimeException {
        AnswerTooLarge() {
            super("the answer is over " + MAX_ANSWER_BYTES + " bytes");
        }
    }

    /** Quotation marks a model may wrap its text in: straight, curly, guillemets, backticks. */
    private static final String QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e`";

    private final LanguageModel model;
    private final PlatformCatalog catalog;
    private final ContractValidator contract;
    private final EngagementLifecycle lifecycle;
    private final ObjectMapper mapper;
    private final DraftingFailures failures;

    public DraftChecker(LanguageModel model, PlatformCatalog catalog, ContractValidator contract, EngagementLifecycle lifecycle,
                        ObjectMapper mapper, long openWaitSeconds) {
        this.model = model;
        this.catalog = catalog;
        this.contract = contract;
        this.lifecycle = lifecycle;
        this.mapper = mapper;
        this.failures = new DraftingFailures(model, mapper, openWaitSeconds);
    }

    /** The model server's answer, or its failure, kept on the engagement's exchange (whose body stays the engagement). */
    @Override
    public Exchange aggregate(Exchange engagement, Exchange call) {
        engagement.setProperty(MILLIS, call.getClock().elapsed());
        if (call.getException() != null) {
            engagement.setProperty(FAILURE, call.getException());
        } else {
            engagement.setProperty(ANSWER, call.getMessage().getBody(String.class));
        }
        return engagement;
    }

    /** The model server's answer as text, read to at most {@link #MAX_ANSWER_BYTES} (inside the call's timeout). */
    public String boundedAnswer(Exchange call) throws IOException {
        Object body = call.getMessage().getBody();
        if (body instanceof java.io.InputStream in) {
            try (in) {
                byte[] read = in.readNBytes(MAX_ANSWER_BYTES + 1);
                if (read.length > MAX_ANSWER_BYTES) {
                    throw new AnswerTooLarge();
                }
                return new String(read, java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        String text = call.getMessage().getBody(String.class);
        if (text != null && text.length() > MAX_ANSWER_BYTES) {
            throw new AnswerTooLarge();
        }
        return text;
    }

    /** The answer's text as the engagement's draft; or, thrown, why there is none. */
    public Engagement check(Engagement engagement, Exchange exchange) {
        Throwable failure = exchange.getProperty(FAILURE, Throwable.class);
        String answer = exchange.getProperty(ANSWER, String.class);
        long millis = exchange.getProperty(MILLIS, 0L, Long.class);
        exchange.removeProperty(FAILURE);
        exchange.removeProperty(ANSWER);
        exchange.removeProperty(MILLIS);
        if (failure != null) {
            throw failures.of(engagement, failure);
        }
        String text = untrusted(textOf(engagement, answer));
        if (text.isEmpty()) {
            throw failures.failed(engagement, "The language model " + model.name() + " answered an empty draft", true, null);
        }
        PlatformCatalog.Platform platform = catalog.platform(engagement.getPlatform());
        int length = platform.counting().count(text);
        Integer shortenedFrom = null;
        if (length > platform.maxContentLength()) {
            String cut = shorten(text, platform);
            if (cut == null) {
                throw failures.failed(engagement, "The language model " + model.name() + " drafted " + length + " characters by "
                        + platform.displayName() + "'s counting, over its limit of " + platform.maxContentLength()
                        + ", with no sentence or word end within the limit to cut it at", true, null);
            }
            shortenedFrom = length;
            text = cut;
        }
        // checked as an agent's text is, before it replaces the (missing) content
        List<Violation> violations = contract.violations("EngagementRequest", mapper.valueToTree(engagement.getRequest().withContent(text)));
        if (!violations.isEmpty()) {
            throw failures.failed(engagement, "The language model's draft breaks the contract: " + violations, true, null);
        }
        catalog.check(engagement.getRequest().withContent(text));
        engagement.useDraft(new Draft(text, model.name(), millis, shortenedFrom, platform.maxContentLength(), platform.displayName()));
        lifecycle.note(engagement, "drafted", null, millis, truncate("language model " + model.name(), 200));
        LOG.info("{} drafted by {} in {} ms ({} characters{})", engagement, model.name(), millis, platform.counting().count(text),
                shortenedFrom == null ? "" : ", shortened from " + shortenedFrom);
        return engagement;
    }

    /** {@code choices[0].message.content} of a chat completion; DRAFTING_FAILED when the answer is not one. */
    private String textOf(Engagement engagement, String answer) {
        JsonNode content;
        try {
            content = answer == null ? null : mapper.readTree(answer).path("choices").path(0).path("message").path("content");
        } catch (IOException e) {
            content = null;
        }
        if (content == null || !(content.isTextual() || content.isNull() || content.isMissingNode())) {
            throw failures.failed(engagement, "The language model's server answered something other than a chat completion: "
                    + DraftingFailures.excerpt(answer), true, null);
        }
        return content.isTextual() ? content.asText() : "";
    }

    /**
     * The text without the whitespace and quotation marks a model wraps its answer in; marks that open and close
     * quotes inside the text ("Great" is the word, and "thanks") are left alone.
     */
    static String untrusted(String text) {
        String t = text.strip();
        while (t.length() >= 2 && QUOTES.indexOf(t.charAt(0)) >= 0 && QUOTES.indexOf(t.charAt(t.length() - 1)) >= 0
                && wraps(t)) {
            t = t.substring(1, t.length() - 1).strip();
        }
        return t;
    }

    /** True unless the first or last mark also stands inside (an apostrophe may: "'It's here'"). */
    private static boolean wraps(String quoted) {
        String inner = quoted.substring(1, quoted.length() - 1);
        char open = quoted.charAt(0);
        char close = quoted.charAt(quoted.length() - 1);
        return (open == '\'' || inner.indexOf(open) < 0) && (close == '\'' || close == '\u2019' || inner.indexOf(close) < 0);
    }

    /** The longest start of the text that ends a sentence and fits the platform, else one that ends a word; null if none. */
    static String shorten(String text, PlatformCatalog.Platform platform) {
        String bySentence = longestFitting(text, BreakIterator.getSentenceInstance(Locale.ROOT), platform);
        return bySentence != null ? bySentence : longestFitting(text, BreakIterator.getWordInstance(Locale.ROOT), platform);
    }

    private static String longestFitting(String text, BreakIterator boundaries, PlatformCatalog.Platform platform) {
        boundaries.setText(text);
        for (int end = boundaries.last(); end != BreakIterator.DONE; end = boundaries.previous()) {
            String candidate = text.substring(0, end).strip();
            // a word cut leaves no dangling comma or dash
            candidate = candidate.replaceAll("[\\s,;:\\-\u2013\u2014]+$", "");
            if (!candidate.isEmpty() && platform.counting().count(candidate) <= platform.maxContentLength()) {
                return candidate;
            }
        }
        return null;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
