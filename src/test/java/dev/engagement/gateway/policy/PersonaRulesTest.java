package dev.engagement.gateway.policy;

import dev.engagement.gateway.engagement.Assessment;
import dev.engagement.gateway.engagement.Reason;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each persona constraint as configured in application.properties, with the skill's meaning. */
class PersonaRulesTest {

    private static PersonaRules rules;

    @BeforeAll
    static void load() throws Exception {
        rules = PolicyFixture.personaRules();
    }

    private static List<String> broken(List<String> constraints, String content) {
        return rules.violations(constraints, content, String::length).stream().map(Reason::rule).toList();
    }

    @Test
    void professionalMeansNoSlangNoProfanityRestrainedPunctuationAndEmoji() {
        assertEquals(List.of(), broken(List.of("professional"), "Thanks for the feedback! What feature would you like to see?"));
        assertEquals(List.of("persona.professional.no-words"), broken(List.of("professional"), "lol we're gonna fix it"));
        assertTrue(broken(List.of("professional"), "This is such cr@p, sorry").contains("persona.professional.no-words"));
        assertEquals(List.of("persona.professional.max-exclamations", "persona.professional.no-repeated-punctuation"),
                broken(List.of("professional"), "Amazing!! Thank you!"));
        assertEquals(List.of("persona.professional.max-emoji"), broken(List.of("professional"), "Shipped today 🎉🚀"));
        assertEquals(List.of("persona.professional.max-shouting"), broken(List.of("professional"), "This is HUGE news for us."));
        assertEquals(List.of(), broken(List.of("professional"), "Export to CSV and the API are in the release."),
                "acronyms of three letters are not shouting");
    }

    @Test
    void conciseMeansShort() {
        assertEquals(List.of(), broken(List.of("concise"), "Great question! Next month. Stay tuned! 🚀"));
        assertEquals(List.of("persona.concise.max-length"), broken(List.of("concise"), "word ".repeat(50).trim()));
        assertEquals(List.of("persona.concise.max-sentences"), broken(List.of("concise"), "One. Two. Three. Four."));
    }

    @Test
    void casualAndProfessionalConflictAndCasualAvoidsStiffFormulas() {
        assertEquals(List.of("persona.conflict"), broken(List.of("casual", "professional"), "Thanks, glad it helped."));
        assertEquals(List.of("persona.casual.no-words"), broken(List.of("casual"), "Please be advised that the store opens at 9."));
    }

    @Test
    void helpfulAuthenticAndStrategicHaveTheirOwnRules() {
        assertEquals(List.of("persona.helpful.no-words"), broken(List.of("helpful"), "Not our problem, read the manual."));
        assertEquals(List.of("persona.authentic.no-placeholders"), broken(List.of("authentic"), "Thanks {{first_name}}, great to hear!"));
        assertEquals(List.of("persona.authentic.no-words"), broken(List.of("authentic"), "As an AI language model I love this."));
        assertEquals(List.of("persona.authentic.max-hashtags"), broken(List.of("authentic"), "Love it #a #b #c #d"));
        assertEquals(List.of("persona.strategic.no-words"), broken(List.of("strategic"), "Nice post! Follow back? f4f"));
    }

    @Test
    void unknownConstraintsAreRecordedAndIgnoredKnownOnesWithoutChecksPass() {
        List<Reason> reasons = rules.violations(List.of("sarcastic", "relevant", "enthusiastic"), "Love it!", String::length);
        assertEquals(1, reasons.size(), reasons.toString());
        assertEquals("persona.unknown", reasons.get(0).rule());
        assertEquals(0.0, reasons.get(0).penalty());
        assertTrue(reasons.get(0).evidence().contains("sarcastic"));
    }

    @Test
    void aRuleThatNamesAMissingWordListOrCheckIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class, () -> PersonaRules.parseChecks("x", "shout-less(3) 0.1"));
        assertThrows(IllegalArgumentException.class, () -> PersonaRules.parseChecks("x", "max-length(200)"));
        assertEquals(2, PersonaRules.parseChecks("x", "max-length(200) 0.1, no-words(slang) 0.2").size());
    }

    /**
     * 100 KB of input built against each pattern (runs a backtracking matcher would scan again from every
     * position), checked constraint by constraint in linear time. The bound is generous: on this input the
     * quadratic patterns took about a minute.
     */
    @Test
    void hostileInputIsCheckedInLinearTime() {
        for (String hostile : List.of("{".repeat(100_000), "{{a".repeat(33_000), "[insert".repeat(14_000), ".".repeat(100_000) + "a",
                "!".repeat(100_000) + "a", "! ".repeat(50_000) + "a", "#".repeat(100_000), "A".repeat(100_000) + "a",
                "<".repeat(100_000), "?.".repeat(50_000) + "x")) {
            for (String constraint : List.of("professional", "casual", "concise", "helpful", "authentic", "strategic", "empathetic")) {
                long start = System.nanoTime();
                broken(List.of(constraint), hostile);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis < 5_000, constraint + " took " + millis + " ms on " + hostile.substring(0, 12) + "...");
            }
        }
    }
}
