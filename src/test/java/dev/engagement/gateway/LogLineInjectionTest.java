package dev.engagement.gateway;

import java.util.Map;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A value a client chose (a reviewer's name, a persona rule) that holds a line break cannot forge a
 * log line, in either of the shipped formats (the project's own log4j2.xml, its two appenders).
 */
class LogLineInjectionTest {

    private static final String FORGED = "maria\n2026-12-02T08:00:00,000 INFO  [main] ReviewerDecisions - approved by admin\r\nend";

    private static String formatted(String appender) throws Exception {
        LoggerContext context = new LoggerContext("log-line-injection");
        XmlConfiguration config = new XmlConfiguration(context,
                ConfigurationSource.fromResource("log4j2.xml", LogLineInjectionTest.class.getClassLoader()));
        config.initialize();
        Appender a = config.getAppender(appender);
        LogEvent event = Log4jLogEvent.newBuilder().setLoggerName("dev.engagement.gateway.review.ReviewerDecisions")
                .setLevel(Level.INFO).setMessage(new SimpleMessage("decision by " + FORGED))
                .setContextData(new org.apache.logging.log4j.util.SortedArrayStringMap(Map.of("engagement_id", "eng_1")))
                .build();
        return a.getLayout().toSerializable(event).toString();
    }

    @Test
    void theTextFormatKeepsOneEventOnOneLine() throws Exception {
        String line = formatted("text");
        assertEquals(1, line.strip().lines().count(), line);
        assertTrue(line.contains("maria\\n2026-12-02"), line);
    }

    @Test
    void theJsonFormatKeepsOneEventOnOneLine() throws Exception {
        String line = formatted("json");
        assertEquals(1, line.strip().lines().count(), line);
    }
}
