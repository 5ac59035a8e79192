package dev.engagement.gateway.contract;

/** One contract violation: a JSON pointer into the request and what is wrong there. */
public record Violation(String pointer, String message) {
}
