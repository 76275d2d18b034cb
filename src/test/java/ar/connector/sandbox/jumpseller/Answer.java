package ar.connector.sandbox.jumpseller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A sandbox HTTP answer before serialization. */
record Answer(int status, JsonNode body) {

    static Answer ok(JsonNode body) {
        return new Answer(200, body);
    }

    /** Jumpseller's error envelope: {@code {"message":"..."}}. */
    static Answer error(int status, String message) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("message", message);
        return new Answer(status, n);
    }

    static Answer notFound(String what) {
        return error(404, what + " not found.");
    }
}
