package ar.connector.links;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON Merge Patch of a link as received. It may carry credentials (a rotation), so it prints
 * only the names of the fields it touches: Spring MVC logs request bodies at DEBUG with toString.
 */
public final class LinkPatch {

    private final JsonNode document;

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public LinkPatch(JsonNode document) {
        this.document = document;
    }

    @JsonValue
    public JsonNode document() {
        return document;
    }

    @Override
    public String toString() {
        if (document == null || !document.isObject()) {
            return "LinkPatch[not an object]";
        }
        List<String> fields = new ArrayList<>();
        document.fieldNames().forEachRemaining(fields::add);
        return "LinkPatch" + fields;
    }
}
