package dev.engagement.gateway.connector;

import java.net.http.HttpHeaders;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;

/** One answer of a platform's HTTP API: its status, headers and JSON body (an empty object when it had none). */
public record ApiResponse(int status, HttpHeaders headers, JsonNode body) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** A header read as a whole number (e.g. x-rate-limit-reset), if present and numeric. */
    public OptionalLong longHeader(String name) {
        return headers.firstValue(name).map(String::trim).filter(v -> v.matches("\\d{1,18}"))
                .map(v -> OptionalLong.of(Long.parseLong(v))).orElse(OptionalLong.empty());
    }
}
