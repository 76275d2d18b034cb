package ar.connector.sandbox.contabilium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/** Reading helpers that bind names case-insensitively and amounts from numbers or strings, as ASP.NET does. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode exact = node.get(name);
        if (exact != null) {
            return exact;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    static String text(JsonNode node, String name) {
        JsonNode v = field(node, name);
        return v == null || v.isNull() ? null : v.asText();
    }

    static BigDecimal decimal(JsonNode node, String name) {
        JsonNode v = field(node, name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        try {
            return new BigDecimal(v.asText().trim());
        } catch (NumberFormatException e) {
            throw new ApiError(400, "El valor de " + name + " no es válido");
        }
    }

    static Long longValue(JsonNode node, String name) {
        BigDecimal d = decimal(node, name);
        if (d == null) {
            return null;
        }
        try {
            return d.longValueExact();
        } catch (ArithmeticException e) {
            throw new ApiError(400, "El valor de " + name + " no es válido");
        }
    }

    /** A number the way JSON readers expect it: no exponent, no useless trailing zeros on integers. */
    static BigDecimal plain(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    /** PascalCase to lowerCamel for the loose mode, recursively. */
    static JsonNode lowerCamel(JsonNode node) {
        if (node.isArray()) {
            var arr = MAPPER.createArrayNode();
            node.forEach(n -> arr.add(lowerCamel(n)));
            return arr;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = MAPPER.createObjectNode();
        node.fields().forEachRemaining(e -> {
            String k = e.getKey();
            String lower = k.isEmpty() ? k : Character.toLowerCase(k.charAt(0)) + k.substring(1);
            out.set(lower, lowerCamel(e.getValue()));
        });
        return out;
    }

    /** Amounts as strings for the loose mode: every decimal (non-integer-typed) number becomes text. */
    static void amountsAsStrings(ObjectNode node, String... names) {
        for (String n : names) {
            JsonNode v = node.get(n);
            if (v != null && v.isNumber()) {
                node.put(n, v.decimalValue().toPlainString());
            }
        }
    }
}
