package dev.engagement.gateway.review;

import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the columns of the rows a {@code sql:} step returns (a map per row, its keys in any case) the
 * same way on H2 and PostgreSQL: JSON columns as JSON, times as ISO-8601 in UTC.
 */
final class Rows {

    private final ObjectMapper mapper;

    Rows(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A JSON column, parsed (null stays null). */
    Object json(Map<String, Object> row, String column) {
        Object v = row.get(column);
        if (v == null) {
            return null;
        }
        try {
            return mapper.readValue(v.toString(), Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON in " + column + " is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    /** A time column as the instant in UTC (H2 gives an OffsetDateTime, PostgreSQL a Timestamp). */
    static OffsetDateTime time(Map<String, Object> row, String column) {
        Object v = row.get(column);
        if (v instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC);
        }
        if (v instanceof Timestamp t) {
            return t.toInstant().atOffset(ZoneOffset.UTC);
        }
        throw new IllegalStateException("Column " + column + " is not a time: " + v);
    }

    static String text(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? null : v.toString();
    }

    static Double number(Map<String, Object> row, String column) {
        return row.get(column) instanceof Number n ? n.doubleValue() : null;
    }

    static Long count(Map<String, Object> row, String column) {
        return row.get(column) instanceof Number n ? n.longValue() : null;
    }
}
