package dev.engagement.gateway.contract;

import dev.engagement.gateway.contract.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** contract.json keeps every field and example of the skill valid. */
class ContractTest {

    private final ObjectMapper mapper = Json.newObjectMapper();
    private final ContractValidator validator = new ContractValidator(mapper);

    private JsonNode contract() throws Exception {
        return mapper.readTree(Files.readString(Path.of("contract.json")));
    }

    @Test
    void everyRequestExampleOfTheSkillIsValid() throws Exception {
        JsonNode examples = contract().at("/$defs/EngagementRequest/examples");
        assertEquals(6, examples.size());
        for (JsonNode example : examples) {
            assertEquals(List.of(), validator.violations("EngagementRequest", example), example.toString());
        }
    }

    @Test
    void everyResultExampleOfTheSkillIsValid() throws Exception {
        for (JsonNode example : contract().at("/$defs/EngagementResult/examples")) {
            assertEquals(List.of(), validator.violations("EngagementResult", example), example.toString());
        }
    }

    @Test
    void theErrorCodesOfTheIssueAreAllInTheSchemaAndInTheCode() throws Exception {
        JsonNode codes = contract().at("/$defs/ErrorCode/enum");
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(codes.toString().contains("\"" + code.name() + "\""), code + " missing from contract.json");
        }
        for (String required : List.of("VALIDATION_FAILED", "UNSUPPORTED_ACTION", "CONTENT_TOO_LONG", "INVALID_TARGET",
                "RATE_LIMIT_EXCEEDED", "PLATFORM_UNAVAILABLE", "PLATFORM_ERROR", "REJECTED_BY_POLICY", "REJECTED_BY_REVIEWER",
                "UNAUTHORIZED", "NOT_FOUND", "CONFLICT", "INTERNAL_ERROR")) {
            assertTrue(codes.toString().contains(required), required);
        }
    }

    @Test
    void aFailedResultWithoutAnErrorIsInvalid() throws Exception {
        assertFalse(validator.violations("EngagementResult", mapper.readTree("{\"status\": \"failed\"}")).isEmpty());
        assertFalse(validator.violations("EngagementResult", mapper.readTree("{\"status\": \"done\"}")).isEmpty());
    }

    @Test
    void contentIsRequiredForRepliesAndCommentsOnly() throws Exception {
        assertEquals("/content", validator.violations("EngagementRequest",
                mapper.readTree("{\"action\": \"comment\", \"platform\": \"tiktok\", \"target\": \"video_1\"}")).get(0).pointer());
        assertEquals(List.of(), validator.violations("EngagementRequest",
                mapper.readTree("{\"action\": \"share\", \"platform\": \"tiktok\", \"target\": \"video_1\"}")));
    }

    @Test
    void aReplyWithoutContentIsADraftableRequestOnly() throws Exception {
        JsonNode reply = mapper.readTree("{\"action\": \"reply\", \"platform\": \"twitter\", \"target\": \"tweet_1\"}");
        assertEquals(List.of(), validator.violations("DraftableEngagementRequest", reply));
        assertEquals("/content", validator.violations("EngagementRequest", reply).get(0).pointer());
        assertEquals("/extra", validator.violations("DraftableEngagementRequest", mapper.readTree(
                "{\"action\": \"reply\", \"platform\": \"twitter\", \"target\": \"tweet_1\", \"extra\": 1}")).get(0).pointer());
    }

    @Test
    void everyViolationOfARequestIsListedWithItsPointer() throws Exception {
        List<String> pointers = validator.violations("EngagementRequest", mapper.readTree(
                "{\"action\": \"reply\", \"platform\": \"twitter\", \"target\": \"has space\", \"confidence\": -1}"))
                .stream().map(Violation::pointer).toList();
        assertTrue(pointers.containsAll(List.of("/content", "/target", "/confidence")), pointers.toString());
    }
}
