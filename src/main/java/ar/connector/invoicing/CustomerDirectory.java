package ar.connector.invoicing;

import java.text.Normalizer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import ar.connector.contabilium.CbModel;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.invoicing.fiscal.Buyer;
import ar.connector.invoicing.fiscal.TaxDocument;

/**
 * Finds or registers the buyer as a Contabilium customer, without duplicates: by document, created
 * once, updated when the order states another IVA condition or document type. A buyer not seen
 * lately is registered directly (one call for a new buyer); when Contabilium answers that the
 * document is registered already, the customer is looked up by document and reused. Anonymous
 * consumidores finales share one generic customer per account. Customers are cached, so a bulk run
 * asks once per distinct buyer.
 *
 * <p>Contabilium fails on a customer without country, province or address, so every customer written
 * carries them: the buyer's address or {@value #NO_ADDRESS}, and the buyer's province (from the region
 * the checkout sent) or else the seller's own.
 */
@Component
public class CustomerDirectory {

    static final String GENERIC_NAME = "Consumidor Final";
    /** Contabilium's own convention for the anonymous consumidor final. */
    static final String GENERIC_DNI = "99999999";
    static final String NO_ADDRESS = "Sin domicilio";
    private static final long ARGENTINA = 10L;

    private final ContabiliumClient contabilium;
    private final ContabiliumLookups lookups;
    private final JdbcTemplate jdbc;
    private final TtlCache<String, CbModel.Cliente> byDocument = new TtlCache<>(Duration.ofHours(1), 50_000);
    private final TtlCache<String, List<CbModel.Provincia>> provinces = new TtlCache<>(Duration.ofHours(12), 100);

    public CustomerDirectory(ContabiliumClient contabilium, ContabiliumLookups lookups, JdbcTemplate jdbc) {
        this.contabilium = contabilium;
        this.lookups = lookups;
        this.jdbc = jdbc;
    }

    /** Contabilium cannot take the customer: a person has to complete the data named in the message. */
    public static final class IncompleteCustomerException extends RuntimeException {
        IncompleteCustomerException(String message) {
            super(message);
        }
    }

    public long resolve(ContabiliumAccount account, Buyer buyer) {
        if (buyer.anonymous() || buyer.document().isEmpty()) {
            return genericCustomer(account);
        }
        TaxDocument doc = buyer.document().get();
        String key = account.clientId().toLowerCase(Locale.ROOT) + "|" + doc.tipo() + "|" + doc.numero();
        Optional<CbModel.Cliente> known = byDocument.get(key);
        if (known.isEmpty()) {
            // Most buyers of a run are new: register directly (one call), and look the customer up
            // only when Contabilium answers that the document is registered already.
            CbModel.Cliente wanted;
            try {
                wanted = toCliente(account, buyer, null);
            } catch (IncompleteCustomerException incomplete) {
                // Not registrable as the order states it, but perhaps registered already.
                known = contabilium.clienteByDoc(account, doc.tipo(), doc.numero());
                if (known.isEmpty()) {
                    throw incomplete;
                }
                wanted = null;
            }
            if (wanted != null) {
                try {
                    long id = contabilium.createCliente(account, wanted);
                    byDocument.put(key, toCliente(account, buyer, id));
                    return id;
                } catch (ContabiliumClient.DuplicateCustomerException duplicate) {
                    known = Optional.of(contabilium.clienteByDoc(account, doc.tipo(), doc.numero())
                            .orElseThrow(() -> new IllegalStateException(
                                    "Contabilium says the customer " + doc.tipo() + " " + doc.numero()
                                            + " exists but does not find it")));
                }
            }
        }
        CbModel.Cliente existing = known.get();
        if (!same(existing.condicionIva(), buyer.condicionIva()) || !same(existing.tipoDoc(), doc.tipo())) {
            // The order's stated condition wins (SPEC §4); Factura A needs it stored right.
            CbModel.Cliente updated = toCliente(account, buyer, existing.id());
            contabilium.updateCliente(account, existing.id(), updated);
            existing = updated;
        }
        byDocument.put(key, existing);
        return existing.id();
    }

    /**
     * The account's generic customer: the one remembered for the account (accounts linked before this
     * convention keep theirs), else Contabilium's own {@value #GENERIC_DNI}, created when the account has none.
     */
    private long genericCustomer(ContabiliumAccount account) {
        String key = account.clientId().toLowerCase(Locale.ROOT);
        List<Long> stored = jdbc.queryForList(
                "select generic_customer_id from contabilium_account where client_id = ? and generic_customer_id is not null",
                Long.class, key);
        if (!stored.isEmpty()) {
            return stored.get(0);
        }
        CbModel.Cliente generic = new CbModel.Cliente(null, GENERIC_NAME, "CF", "DNI", GENERIC_DNI, "F", null, null,
                NO_ADDRESS, null, ARGENTINA, sellerProvince(account), null);
        long id;
        try {
            id = contabilium.createCliente(account, generic);
        } catch (ContabiliumClient.DuplicateCustomerException duplicate) {
            id = contabilium.clienteByDoc(account, "DNI", GENERIC_DNI).map(CbModel.Cliente::id)
                    .orElseThrow(() -> new IllegalStateException("The generic customer exists but cannot be found"));
        }
        // The caller holds the account's lock row, which exists: store the id for every later order.
        jdbc.update("update contabilium_account set generic_customer_id = ? where client_id = ?", id, key);
        return id;
    }

    private CbModel.Cliente toCliente(ContabiliumAccount account, Buyer buyer, Long id) {
        TaxDocument doc = buyer.document().orElseThrow();
        Long province = buyerProvince(account, buyer);
        return new CbModel.Cliente(id, buyer.razonSocial(), buyer.condicionIva(), doc.tipo(), doc.numero(),
                buyer.personeria(), buyer.email(), buyer.phone(), buyer.address() == null ? NO_ADDRESS : buyer.address(),
                buyer.postal(), ARGENTINA, province != null ? province : sellerProvince(account), buyer.city());
    }

    private long sellerProvince(ContabiliumAccount account) {
        Long province = lookups.seller(account).idProvincia();
        if (province == null) {
            throw new IncompleteCustomerException("No se puede registrar al comprador en Contabilium: el pedido no "
                    + "indica una provincia reconocible y la cuenta de Contabilium no informa la suya (IdProvincia). "
                    + "Complete la provincia de la empresa en Contabilium y reintente");
        }
        return province;
    }

    /** The Contabilium province of the buyer's region: by the region's code when sent, else by its name. */
    private Long buyerProvince(ContabiliumAccount account, Buyer buyer) {
        String name = Optional.ofNullable(regionByCode(buyer.regionCode())).orElse(buyer.region());
        if (name == null || name.isBlank()) {
            return null;
        }
        String wanted = canonical(name);
        List<CbModel.Provincia> list = provinces.computeIfAbsent(account.clientId().toLowerCase(Locale.ROOT),
                k -> contabilium.provincias(account));
        return list.stream().filter(p -> p.nombre() != null && canonical(p.nombre()).equals(wanted))
                .map(CbModel.Provincia::id).findFirst().orElse(null);
    }

    /** "C", "AR-C" (ISO 3166-2, as Jumpseller's payloads show), "07" or "AR07" (FIPS, as its openapi describes). */
    static String regionByCode(String code) {
        if (code == null || code.isBlank()) {
            return null;
        }
        String bare = code.trim().toUpperCase(Locale.ROOT).replaceFirst("^AR-?(?=.)", "");
        return REGION_CODES.get(bare);
    }

    private static String canonical(String name) {
        String normalized = normalize(name);
        return ALIASES.getOrDefault(normalized, normalized);
    }

    private static final Map<String, String> ALIASES = Map.of(
            "ciudad autonoma de buenos aires", "capital federal",
            "caba", "capital federal",
            "ciudad de buenos aires", "capital federal",
            "buenos aires ciudad", "capital federal",
            "distrito federal", "capital federal",
            "provincia de buenos aires", "buenos aires",
            "tierra del fuego, antartida e islas del atlantico sur", "tierra del fuego");

    private static final Map<String, String> REGION_CODES = Map.ofEntries(
            Map.entry("A", "Salta"), Map.entry("B", "Buenos Aires"), Map.entry("C", "Capital Federal"),
            Map.entry("D", "San Luis"), Map.entry("E", "Entre Ríos"), Map.entry("F", "La Rioja"),
            Map.entry("G", "Santiago del Estero"), Map.entry("H", "Chaco"), Map.entry("J", "San Juan"),
            Map.entry("K", "Catamarca"), Map.entry("L", "La Pampa"), Map.entry("M", "Mendoza"),
            Map.entry("N", "Misiones"), Map.entry("P", "Formosa"), Map.entry("Q", "Neuquén"),
            Map.entry("R", "Río Negro"), Map.entry("S", "Santa Fe"), Map.entry("T", "Tucumán"),
            Map.entry("U", "Chubut"), Map.entry("V", "Tierra del Fuego"), Map.entry("W", "Corrientes"),
            Map.entry("X", "Córdoba"), Map.entry("Y", "Jujuy"), Map.entry("Z", "Santa Cruz"),
            Map.entry("01", "Buenos Aires"), Map.entry("02", "Catamarca"), Map.entry("03", "Chaco"),
            Map.entry("04", "Chubut"), Map.entry("05", "Córdoba"), Map.entry("06", "Corrientes"),
            Map.entry("07", "Capital Federal"), Map.entry("08", "Entre Ríos"), Map.entry("09", "Formosa"),
            Map.entry("10", "Jujuy"), Map.entry("11", "La Pampa"), Map.entry("12", "La Rioja"),
            Map.entry("13", "Mendoza"), Map.entry("14", "Misiones"), Map.entry("15", "Neuquén"),
            Map.entry("16", "Río Negro"), Map.entry("17", "Salta"), Map.entry("18", "San Juan"),
            Map.entry("19", "San Luis"), Map.entry("20", "Santa Cruz"), Map.entry("21", "Santa Fe"),
            Map.entry("22", "Santiago del Estero"), Map.entry("23", "Tierra del Fuego"), Map.entry("24", "Tucumán"));

    static String normalize(String value) {
        return Normalizer.normalize(value, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT).trim();
    }

    private static boolean same(String a, String b) {
        return a == null ? b == null : a.equalsIgnoreCase(b);
    }
}
