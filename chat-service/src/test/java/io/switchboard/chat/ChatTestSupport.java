package io.switchboard.chat;

import static io.restassured.RestAssured.given;

import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Calls of the public API that several tests make. */
public final class ChatTestSupport {
    public static final String AGENT = "Bearer dev-agent-token";

    private ChatTestSupport() {
    }

    public record Started(String id, String contactId, String token) {
        public String bearer() {
            return "Bearer " + token;
        }
    }

    public static Started startConversation(String firstName, String email) {
        var contact = new java.util.HashMap<String, Object>();
        contact.put("first_name", firstName);
        if (email != null) {
            contact.put("email", email);
        }
        contact.put("attributes", Map.of("plan", "premium"));
        var body = given().contentType(ContentType.JSON).body(Map.of("channel", "web", "contact", contact))
                .post("/api/conversations").then().statusCode(201).extract().jsonPath();
        return new Started(body.getString("id"), body.getString("contact_id"), body.getString("customer_token"));
    }

    public static ValidatableResponse post(String conversationId, String authorization, String content) {
        var request = given().contentType(ContentType.JSON).body(Map.of("content", content));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.post("/api/conversations/{id}/messages", conversationId).then();
    }
}
