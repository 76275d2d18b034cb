package ar.connector.sandbox.jumpseller;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.whitelist.ValidationErrorsWhitelist;
import com.atlassian.oai.validator.whitelist.rule.WhitelistRule;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Validates recorded Jumpseller exchanges (sandbox answers, and the connector's own requests) against
 * Jumpseller's openapi.json with swagger-request-validator. The spec is stricter than the live API
 * in a few known places; {@link #DEVIATIONS} names them, one reason each, exactly as the contract
 * README lists them, and nothing else is excused.
 *
 * <p>Two things are checked beside the validator, both from the same README:
 * <ul>
 *   <li>{@code /orders/after/{id}.json} answers an array where the spec declares one order: each
 *   element is validated as the declared single-order answer, so the array is not a blind spot;</li>
 *   <li>error answers the spec leaves undeclared for an operation (401 bad credentials, 404 missing
 *   resource, 422 validation, 429 rate limit: "Errors: {"message":"…"}") are checked against that
 *   envelope instead of being reported as unknown statuses.</li>
 * </ul>
 */
public final class OpenApiContract {

    /** Deviation name -> reason. The keys name the whitelist rules below. */
    public static final Map<String, String> DEVIATIONS;

    private static final String CLASSPATH_SPEC = "/contracts/jumpseller/openapi.json";
    private static final Path SHARED_SPEC = Path.of("..", "shared", "contracts", "jumpseller", "openapi.json");
    private static final Set<Integer> README_ERROR_STATUSES = Set.of(401, 404, 422, 429);
    private static final Pattern ORDERS_AFTER = Pattern.compile("/v1/orders/after/\\d+\\.json");
    private static final Set<String> ID_FIELDS = Set.of("id", "order_id", "variant_id", "product_id", "customer_id");
    private static final Set<String> AMOUNT_FIELDS = Set.of("subtotal", "tax", "shipping_tax", "shipping", "total",
            "discount", "shipping_discount", "gift_cards_discount", "price", "compare_at_price", "cost_per_item");
    private static final Set<String> NULLABLE_IN_PRACTICE = Set.of("variant_id", "street_number", "compare_at_price");

    private static volatile OpenApiContract jumpseller;

    /** Parser messages the published spec is known to produce, none of them in an endpoint used here. */
    private static final List<String> KNOWN_SPEC_SLIPS = List.of(
            "components.schemas.DigitalProductFields.required is not of type `array`",
            "components.schemas.DigitalProductEditFields.required is not of type `array`",
            "components.schemas.DigitalProductDeleteFields.required is not of type `array`",
            "components.schemas.OrderCreateFields.required is not of type `array`",
            "components.schemas.OrderFields.items is missing",
            "'/fulfillments/{id}/label.json'(get).responses.400",
            "For path parameter date the required value should be true");

    private final OpenApiInteractionValidator validator;
    private final ObjectMapper mapper = new ObjectMapper();

    /** One problem found in one exchange. */
    public record Violation(String exchange, String key, String message) {
        @Override
        public String toString() {
            return exchange + "\n    [" + key + "] " + message;
        }
    }

    private record Deviation(String name, String reason, WhitelistRule rule) {
    }

    private static final List<Deviation> RULES = List.of(
            new Deviation("partial-update-bodies",
                    "PUT /products/{id}.json sends only the fields it changes ({\"product\":{\"stock\":3}}); "
                            + "the edit schema lists name/price as required",
                    (m, op, req, resp) -> m.getKey().equals("validation.request.body.schema.required")
                            && req != null && req.getMethod() == Request.Method.PUT
                            && req.getPath().matches("/v1/products/\\d+\\.json")
                            && pointer(m).equals("/product")),
            new Deviation("document-type-integer",
                    "document_type is sent (and echoed) as the integer 0/1; the schema's enum holds strings "
                            + "like \"1 - invoice\"",
                    (m, op, req, resp) -> (m.getKey().endsWith(".body.schema.enum")
                                    && m.getMessage().matches("(?s).*Instance value \\([01]\\) not found in enum.*")
                                    || m.getKey().endsWith(".body.schema.type") && instanceType(m).equals("integer"))
                            && req != null && req.getPath().matches("/v1/orders/\\d+/documents\\.json")
                            && pointer(m).matches("(/\\d+)?/document/document_type")),
            new Deviation("null-fields",
                    "null in fields such as variant_id (product without variants), street_number (none given) "
                            + "and compare_at_price (cleared); the spec marks almost nothing nullable",
                    (m, op, req, resp) -> m.getKey().endsWith(".body.schema.type")
                            && instanceType(m).equals("null")
                            && NULLABLE_IN_PRACTICE.contains(leaf(pointer(m)))),
            new Deviation("ids-and-amounts-as-strings",
                    "ids (customer.id in webhook samples) and amounts arrive as strings",
                    (m, op, req, resp) -> m.getKey().endsWith(".body.schema.type")
                            && instanceType(m).equals("string")
                            && (ID_FIELDS.contains(leaf(pointer(m))) || AMOUNT_FIELDS.contains(leaf(pointer(m))))),
            new Deviation("paging-on-after-and-status",
                    "page/limit are accepted on /orders/after/{id}.json and /orders/status/{status}.json, "
                            + "which the spec declares without parameters",
                    (m, op, req, resp) -> m.getKey().equals("validation.request.parameter.query.unexpected")
                            && req != null && req.getPath().matches("/v1/orders/(after/\\d+|status/[a-z_]+)\\.json")
                            && (m.getMessage().contains("'page'") || m.getMessage().contains("'limit'"))),
            new Deviation("orders-after-answers-array",
                    "/orders/after/{id}.json answers an array of wrapped orders where the spec declares one order "
                            + "(each element is still validated as that order)",
                    (m, op, req, resp) -> m.getKey().equals("validation.response.body.schema.type")
                            && req != null && ORDERS_AFTER.matcher(req.getPath()).matches()
                            && (pointer(m).isEmpty() || pointer(m).equals("/")) && instanceType(m).equals("array")));

    static {
        Map<String, String> d = new LinkedHashMap<>();
        RULES.forEach(r -> d.put(r.name(), r.reason()));
        DEVIATIONS = java.util.Collections.unmodifiableMap(d);
    }

    private OpenApiContract(String spec) {
        ValidationErrorsWhitelist whitelist = ValidationErrorsWhitelist.create();
        for (Deviation r : RULES) {
            whitelist = whitelist.withRule(r.name() + ": " + r.reason(), r.rule());
        }
        // Jumpseller's spec has a few structural slips in parts the connector never uses
        // (required: true instead of a list, an array without items, a dangling Error $ref); the
        // validator's loader refuses any parse message, so the spec is parsed here and the parse
        // messages are checked to be exactly those known slips.
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(spec, null, parseOptions());
        List<String> unexpected = parsed.getMessages().stream()
                .filter(msg -> KNOWN_SPEC_SLIPS.stream().noneMatch(msg::contains)).toList();
        if (parsed.getOpenAPI() == null || !unexpected.isEmpty()) {
            throw new IllegalStateException("openapi.json does not parse cleanly: " + unexpected);
        }
        repairDocumentType(parsed.getOpenAPI());
        validator = OpenApiInteractionValidator.createFor(parsed.getOpenAPI())
                .withWhitelist(whitelist)
                // Unknown query parameters are real mistakes for a client (e.g. "per_page"): report them.
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
                        .build())
                .build();
    }

    /**
     * DocumentFields.document_type is declared {@code type: integer} with a string enum
     * ({@code "0 - credit note"}, {@code "1 - invoice"}); parsed as integers both enum values become
     * null, a schema the JSON-schema engine refuses outright ("duplicate elements"), which would
     * leave every documents exchange unvalidated. The code samples send the strings, so the schema
     * is read as what it says: a string with that enum. Integers sent by the live API's clients are
     * then the named deviation "document-type-integer".
     */
    private static void repairDocumentType(OpenAPI api) {
        Schema<?> fields = api.getComponents().getSchemas().get("DocumentFields");
        Schema<?> original = (Schema<?>) fields.getProperties().get("document_type");
        StringSchema repaired = new StringSchema();
        repaired.setEnum(List.of("0 - credit note", "1 - invoice"));
        repaired.setDescription(original.getDescription());
        fields.getProperties().put("document_type", repaired);
    }

    private static ParseOptions parseOptions() {
        ParseOptions o = new ParseOptions();
        o.setResolve(true);
        return o;
    }

    /** The project's Jumpseller contract, loaded once (parsing the 820 KB spec takes a moment). */
    public static OpenApiContract jumpseller() {
        OpenApiContract c = jumpseller;
        if (c == null) {
            synchronized (OpenApiContract.class) {
                if (jumpseller == null) {
                    jumpseller = new OpenApiContract(loadSpec());
                }
                c = jumpseller;
            }
        }
        return c;
    }

    /** Classpath copy first (the project's contract), then {@code ../shared} beside the repository. */
    static String loadSpec() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream(CLASSPATH_SPEC)) {
            if (in != null) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (Files.exists(SHARED_SPEC)) {
                return Files.readString(SHARED_SPEC);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("openapi.json not found on the classpath (" + CLASSPATH_SPEC
                + ") nor at " + SHARED_SPEC.toAbsolutePath());
    }

    /** Throws an AssertionError listing every violation found in these exchanges. */
    public void assertConforms(List<RecordedRequest> exchanges) {
        List<Violation> all = violations(exchanges);
        if (!all.isEmpty()) {
            throw new AssertionError(all.size() + " violation(s) of the Jumpseller contract:\n"
                    + all.stream().map(Violation::toString).collect(Collectors.joining("\n")));
        }
    }

    public List<Violation> violations(List<RecordedRequest> exchanges) {
        List<Violation> all = new ArrayList<>();
        exchanges.forEach(e -> all.addAll(violations(e)));
        return all;
    }

    public List<Violation> violations(RecordedRequest e) {
        SimpleRequest request = request(e);
        SimpleResponse response = response(e.status(), e.responseHeaders(), e.responseBody());
        List<Violation> found = new ArrayList<>();
        boolean undeclaredError = false;
        for (ValidationReport.Message m : validator.validate(request, response).getMessages()) {
            if (m.getLevel() != ValidationReport.Level.ERROR) {
                continue;
            }
            if (m.getKey().equals("validation.response.status.unknown") && README_ERROR_STATUSES.contains(e.status())) {
                undeclaredError = true;
                continue;
            }
            found.add(new Violation(e.toString(), m.getKey(), describe(m)));
        }
        if (undeclaredError) {
            checkErrorEnvelope(e).ifPresent(found::add);
        }
        if (e.status() == 200 && ORDERS_AFTER.matcher(e.path()).matches()) {
            found.addAll(validateAfterElements(e, request));
        }
        return found;
    }

    /** Each element of the /orders/after array must be what the spec declares that endpoint answers. */
    private List<Violation> validateAfterElements(RecordedRequest e, SimpleRequest request) {
        List<Violation> found = new ArrayList<>();
        JsonNode body = readJson(e.responseBody());
        if (body == null || !body.isArray()) {
            return found;
        }
        for (int i = 0; i < body.size(); i++) {
            SimpleResponse one = response(200, e.responseHeaders(), body.get(i).toString());
            for (ValidationReport.Message m : validator.validateResponse(e.path(), Request.Method.GET, one).getMessages()) {
                if (m.getLevel() == ValidationReport.Level.ERROR) {
                    found.add(new Violation(e + " [element " + i + "]", m.getKey(), describe(m)));
                }
            }
        }
        return found;
    }

    private Optional<Violation> checkErrorEnvelope(RecordedRequest e) {
        JsonNode body = readJson(e.responseBody());
        if (body != null && body.isObject() && body.path("message").isTextual()) {
            return Optional.empty();
        }
        return Optional.of(new Violation(e.toString(), "readme.error.envelope",
                "status " + e.status() + " must answer {\"message\":\"...\"} but answered " + e.responseBody()));
    }

    private static SimpleRequest request(RecordedRequest e) {
        SimpleRequest.Builder b = new SimpleRequest.Builder(e.method(), e.path());
        JumpsellerSandbox.parseQuery(e.query()).forEach(b::withQueryParam);
        e.requestHeaders().forEach(b::withHeader);
        if (e.requestBody() != null && !e.requestBody().isEmpty()) {
            b.withBody(e.requestBody());
        }
        return b.build();
    }

    private static SimpleResponse response(int status, Map<String, List<String>> headers, String body) {
        SimpleResponse.Builder b = SimpleResponse.Builder.status(status);
        headers.forEach(b::withHeader);
        if (body != null && !body.isEmpty()) {
            b.withBody(body);
        }
        return b.build();
    }

    private JsonNode readJson(String s) {
        try {
            return s == null ? null : mapper.readTree(s);
        } catch (IOException ex) {
            return null;
        }
    }

    private static String describe(ValidationReport.Message m) {
        String p = pointer(m);
        return (p.isEmpty() ? "" : "at " + p + ": ") + m.getMessage();
    }

    /** JSON pointer of the offending instance, "" for the document root. */
    static String pointer(ValidationReport.Message m) {
        return m.getContext().flatMap(ValidationReport.MessageContext::getPointers)
                .map(ValidationReport.MessageContext.Pointers::getInstance).orElse("");
    }

    private static String leaf(String pointer) {
        String[] parts = pointer.split("/");
        return parts.length == 0 ? "" : parts[parts.length - 1];
    }

    /** The actual JSON type named in a schema "type" message: "instance type (string) does not match ...". */
    private static String instanceType(ValidationReport.Message m) {
        var matcher = Pattern.compile("[Ii]nstance type \\((\\w+)\\)").matcher(m.getMessage());
        return matcher.find() ? matcher.group(1) : "";
    }
}
