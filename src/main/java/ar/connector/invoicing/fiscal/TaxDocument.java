package ar.connector.invoicing.fiscal;

import java.util.Objects;
import java.util.Optional;

/** A buyer's identity document as Contabilium stores it: {@code TipoDoc} and {@code NroDoc}. */
public record TaxDocument(String tipo, String numero) {

    public static final String DNI = "DNI";
    public static final String CUIT = "CUIT";

    public TaxDocument {
        if (!DNI.equals(tipo) && !CUIT.equals(tipo)) {
            throw new IllegalArgumentException("tipo must be DNI or CUIT: " + tipo);
        }
        Objects.requireNonNull(numero, "numero");
        if (!numero.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("numero must hold digits only");
        }
    }

    /**
     * Reads what a buyer typed ("20-12345678-6", "12.345.678"): 11 digits with a valid check digit are a
     * CUIT, 7 or 8 digits a DNI, anything else no document at all.
     */
    public static Optional<TaxDocument> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String digits = raw.replaceAll("[^0-9]", "");
        if (digits.length() == 11 && Cuit.isValid(digits)) {
            return Optional.of(new TaxDocument(CUIT, digits));
        }
        if (digits.length() == 7 || digits.length() == 8) {
            return Optional.of(new TaxDocument(DNI, digits));
        }
        return Optional.empty();
    }

    public boolean isCuit() {
        return CUIT.equals(tipo);
    }

    /** A CUIT of a company (persona jurídica): ARCA gives them the prefixes 30, 33 and 34. */
    public boolean isCompany() {
        return isCuit() && isCompanyCuit(numero);
    }

    static boolean isCompanyCuit(String digits) {
        return digits.length() == 11 && (digits.startsWith("30") || digits.startsWith("33") || digits.startsWith("34"));
    }

    @Override
    public String toString() {
        return tipo + " " + numero;
    }
}
