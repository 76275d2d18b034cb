package ar.connector.invoicing.fiscal;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ar.connector.jumpseller.JsModel;

/**
 * Reads the buyer's document and IVA condition from an order. Which part of the order carries them
 * depends on the store's checkout, so all are read, in the order of trust of SPEC §4: checkout additional
 * fields (the merchant asked for them explicitly), then {@code billing_address.taxid}, then
 * {@code billing_information}.
 */
public final class BuyerIdentification {

    private static final List<String> DOCUMENT_LABELS = List.of("cuit", "cuil", "dni", "documento", "taxid",
            "tax id", "nro doc", "numero de doc", "identificacion tributaria");
    // "doc" as a word ("Nro. Doc."); "nro" alone says nothing: "Nro. de teléfono" is no document.
    private static final Set<String> DOCUMENT_LABEL_WORDS = Set.of("doc");
    private static final List<String> CONDITION_LABELS = List.of("condicion", "contribuyente", "situacion fiscal",
            "categoria fiscal", "taxpayer");

    private BuyerIdentification() {
    }

    /**
     * The buyer as the order states it. {@code anonymous} is true when no document was found; the planner
     * decides whether that is allowed for the invoice's total.
     */
    public static Buyer identify(JsModel.Order order) {
        List<String> conditionCandidates = new ArrayList<>();
        for (JsModel.AdditionalField field : order.fields()) {
            if (isConditionLabel(normalize(field.label()))) {
                conditionCandidates.add(field.value());
            }
        }
        JsModel.BillingAddress billing = order.billingAddress();
        JsModel.BillingInformation information = order.billingInformation();
        if (information != null) {
            conditionCandidates.add(information.taxpayerType());
        }

        Optional<TaxDocument> document = chooseDocument(documentTexts(order));
        Optional<String> stated = conditionCandidates.stream()
                .map(BuyerIdentification::condicionIva)
                .flatMap(Optional::stream)
                .findFirst();

        JsModel.Customer customer = order.customer();
        return new Buyer(document, stated.orElse("CF"), stated.isPresent(), razonSocial(order), customer == null ? null : blankToNull(customer.email()),
                customer == null ? null : blankToNull(customer.phone()), address(billing),
                billing == null ? null : blankToNull(billing.city()), billing == null ? null : blankToNull(billing.postal()),
                billing == null ? null : blankToNull(billing.region()),
                billing == null ? null : blankToNull(billing.regionCode()), document.isEmpty());
    }

    /**
     * A company's CUIT as the buyer typed it (11 digits starting 30, 33 or 34), whether or not its check digit
     * is right, for saying what is wrong with it.
     */
    static Optional<String> typedCompanyCuit(JsModel.Order order) {
        return documentTexts(order).stream()
                .filter(text -> TaxDocument.isCompanyCuit(text.replaceAll("[^0-9]", ""))).findFirst();
    }

    /** What the buyer typed as a document, in order of trust, blanks left out; shown when a document is rejected. */
    static List<String> documentTexts(JsModel.Order order) {
        List<String> texts = new ArrayList<>();
        for (JsModel.AdditionalField field : order.fields()) {
            if (isDocumentLabel(normalize(field.label()))) {
                texts.add(field.value());
            }
        }
        if (order.billingAddress() != null) {
            texts.add(order.billingAddress().taxid());
        }
        texts.removeIf(text -> blankToNull(text) == null);
        return texts;
    }

    /**
     * Maps what a buyer or a checkout wrote to Contabilium's condition code, or empty when the text says
     * nothing recognisable (then the next source is asked).
     */
    public static Optional<String> condicionIva(String text) {
        String value = normalize(text);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Set<String> words = Stream.of(value.split("[^a-z]+")).collect(Collectors.toSet());
        if (value.contains("monotrib") || words.contains("mo")) {
            return Optional.of("MO");
        }
        if (value.contains("exent") || words.contains("ex")) {
            return Optional.of("EX");
        }
        // Before "inscripto": "Consumidor final (no inscripto)" is still a consumidor final.
        if (value.contains("consumidor final") || words.contains("cf")) {
            return Optional.of("CF");
        }
        if (value.contains("inscript") || words.contains("ri")) {
            return Optional.of("RI");
        }
        return Optional.empty();
    }

    /** A valid CUIT anywhere beats a DNI: Factura A needs it, and it identifies the buyer just as well. */
    private static Optional<TaxDocument> chooseDocument(List<String> candidates) {
        List<TaxDocument> documents = candidates.stream().map(TaxDocument::parse).flatMap(Optional::stream).toList();
        return documents.stream().filter(TaxDocument::isCuit).findFirst().or(() -> documents.stream().findFirst());
    }

    private static String razonSocial(JsModel.Order order) {
        JsModel.BillingInformation information = order.billingInformation();
        if (information != null && blankToNull(information.companyName()) != null) {
            return information.companyName().trim();
        }
        JsModel.BillingAddress billing = order.billingAddress();
        if (billing != null) {
            String name = join(" ", billing.name(), billing.surname());
            if (name != null) {
                return name;
            }
        }
        JsModel.Customer customer = order.customer();
        return customer == null ? null : blankToNull(customer.fullname());
    }

    private static String address(JsModel.BillingAddress billing) {
        return billing == null ? null : join(" ", billing.address(), billing.streetNumber());
    }

    private static boolean isDocumentLabel(String label) {
        return DOCUMENT_LABELS.stream().anyMatch(label::contains)
                || Stream.of(label.split("[^a-z]+")).anyMatch(DOCUMENT_LABEL_WORDS::contains);
    }

    private static boolean isConditionLabel(String label) {
        // "iva" as a word only: it hides inside ordinary words ("privada", "activa").
        return CONDITION_LABELS.stream().anyMatch(label::contains)
                || Stream.of(label.split("[^a-z]+")).anyMatch("iva"::equals);
    }

    /** Lower case without accents, so "Condición frente al IVA" and "condicion iva" compare alike. */
    static String normalize(String text) {
        if (text == null) {
            return "";
        }
        return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT).trim();
    }

    private static String join(String separator, String... parts) {
        String joined = Stream.of(parts).map(BuyerIdentification::blankToNull).filter(p -> p != null)
                .map(String::trim).collect(Collectors.joining(separator));
        return joined.isEmpty() ? null : joined;
    }

    private static String blankToNull(String value) {
        // Some payloads write a missing value as the text "null".
        return value == null || value.isBlank() || value.trim().equalsIgnoreCase("null") ? null : value;
    }
}
