package dev.engagement.gateway.drafting;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.platform.ContentLength;
import dev.engagement.gateway.platform.PlatformCatalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The model's answer is untrusted text: unwrapped, and cut to the platform's limit where a sentence or a word ends. */
class DraftCheckerTest {

    private static PlatformCatalog.Platform limit(int max, ContentLength counting) {
        return new PlatformCatalog.Platform("test", "Test", Map.of(), max, counting);
    }

    @Test
    void theQuotesAndWhitespaceAModelWrapsItsTextInAreStripped() {
        assertEquals("Thanks, Ana!", DraftChecker.untrusted("  \"Thanks, Ana!\"\n"));
        assertEquals("Thanks, Ana!", DraftChecker.untrusted("\u201c 'Thanks, Ana!' \u201d"));
        assertEquals("It's \"great\" news", DraftChecker.untrusted("It's \"great\" news"));
        assertEquals("", DraftChecker.untrusted(" \"\" "));
        assertEquals("It's here", DraftChecker.untrusted("'It's here'"));
        assertEquals("\"Great\" is the word, and \"thanks\"", DraftChecker.untrusted("\"Great\" is the word, and \"thanks\""));
    }

    @Test
    void aLongDraftIsCutAtTheLastSentenceThatFits() {
        String text = "First sentence here. Second one follows! Third is too much for the limit.";
        assertEquals("First sentence here. Second one follows!", DraftChecker.shorten(text, limit(45, ContentLength.CODE_POINTS)));
        assertEquals("First sentence here.", DraftChecker.shorten(text, limit(25, ContentLength.CODE_POINTS)));
    }

    @Test
    void withoutASentenceEndThatFitsItIsCutAtAWordWithoutADanglingComma() {
        String text = "One very long sentence, with commas, that goes on and on without any end in sight";
        assertEquals("One very long sentence", DraftChecker.shorten(text, limit(24, ContentLength.CODE_POINTS)));
        assertNull(DraftChecker.shorten("Supercalifragilistic", limit(5, ContentLength.CODE_POINTS)));
    }

    @Test
    void theCutCountsAsThePlatformCounts() {
        // X counts each emoji 2: three rockets and a space make 7 of an 8 limit, the fourth would not fit
        String text = "\uD83D\uDE80\uD83D\uDE80\uD83D\uDE80 \uD83D\uDE80";
        assertEquals("\uD83D\uDE80\uD83D\uDE80\uD83D\uDE80", DraftChecker.shorten(text, limit(8, ContentLength.TWITTER_WEIGHTED)));
    }
}
