package dev.engagement.gateway.policy;

import java.io.InputStream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SentimentIdiomsTest {

    private static Sentiment shipped() throws Exception {
        try (InputStream in = SentimentIdiomsTest.class.getResourceAsStream("/policy/sentiment-idioms.txt")) {
            return Sentiment.withIdioms(in, "sentiment-idioms.txt");
        }
    }

    @Test
    void praiseThatSoundsViolentOrCriminalIsNotReadAsNegative() throws Exception {
        Sentiment plain = new Sentiment();
        Sentiment withIdioms = shipped();
        for (String praise : new String[] {"You're killing it with these designs!", "This deal is a steal, grab one.",
                "Killer look, totally nailing autumn style.", "This new drop is straight fire", "absolutely murdered it",
                "I'd kill for one of your cinnamon rolls"}) {
            assertTrue(plain.of(praise).compound() <= -0.25, "VADER alone reads it negative: " + praise);
            assertTrue(withIdioms.of(praise).compound() > -0.25, "read through the idioms it is not: " + praise);
        }
    }

    @Test
    void idiomsAreWholeWordsInAnyCase() throws Exception {
        Sentiment s = shipped();
        assertEquals("you're doing great", s.idiomsRead("you\u2019re KILLING IT"));
        // the other apostrophes phones and keyboards type, as the rules read them
        assertEquals("you're doing great", s.idiomsRead("you\u02BCre killing it"));
        assertEquals("you're doing great", s.idiomsRead("you\u00B4re killing it"));
        assertEquals("that is a bargain at $19", s.idiomsRead("that is a steal at $19"));
        assertEquals("a great deal", s.idiomsRead("a killer deal"));
        assertEquals("stealing is wrong", s.idiomsRead("stealing is wrong"));
        assertEquals("a steals", s.idiomsRead("a steals"));
    }
}
