package ar.connector.invoicing.fiscal;

import static ar.connector.invoicing.fiscal.ContabiliumTotals.round2;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import ar.connector.contabilium.Alicuota;
import ar.connector.contabilium.CbModel;
import ar.connector.jumpseller.JsModel;

/**
 * Decides, for one paid order, the invoice's buyer, letter and lines, or why the order must wait for the
 * merchant (SPEC §4). It only reads the order and the product lookup: it creates nothing anywhere.
 */
public final class InvoicePlanner {

    private static final BigDecimal CENT = new BigDecimal("0.01");
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final Set<String> SELLER_CONDITIONS = Set.of("RI", "MO", "EX");

    private final BigDecimal cfIdentificationThreshold;

    /** @param cfIdentificationThreshold invoice total from which a consumidor final must be identified (RG 5700/2025) */
    public InvoicePlanner(BigDecimal cfIdentificationThreshold) {
        this.cfIdentificationThreshold = Objects.requireNonNull(cfIdentificationThreshold, "cfIdentificationThreshold");
    }

    /**
     * Decides the buyer, letter and lines of the invoice for a paid order, or why it must be parked.
     *
     * @param sellerCondicionIva the account's {@code CondicionIVA}: RI, MO or EX; null when the account does not
     *                           state it
     * @param productBySku       exact SKU to Contabilium concept; also used for the shipping concept code.
     *                           Called once per distinct code.
     */
    public Plan plan(JsModel.Order order, PlanSettings settings, String sellerCondicionIva,
            Function<String, Optional<ProductInfo>> productBySku) {
        String currency = order.currency() == null || order.currency().isBlank() ? "ARS"
                : order.currency().trim().toUpperCase(Locale.ROOT);
        if (!currency.equals("ARS")) {
            return new Plan.Park("La moneda del pedido es " + currency + "; solo se facturan pedidos en ARS");
        }
        String seller = sellerCondicionIva == null ? "" : sellerCondicionIva.trim().toUpperCase(Locale.ROOT);
        if (seller.isEmpty()) {
            return new Plan.Park("La cuenta de Contabilium no informa su condición frente al IVA (CondicionIVA): "
                    + "sin ella no se puede elegir la letra de la factura. Complétela en Contabilium (Responsable "
                    + "Inscripto, Monotributo o Exento) y reintente");
        }
        if (!SELLER_CONDITIONS.contains(seller)) {
            return new Plan.Park("La condición frente al IVA de la cuenta de Contabilium ('" + sellerCondicionIva
                    + "') no es RI, MO ni EX: no se puede elegir la letra de la factura");
        }

        List<JsModel.Line> lines = order.lines();
        if (lines.isEmpty()) {
            return new Plan.Park("El pedido no tiene productos para facturar");
        }
        List<String> suspicious = suspiciousAmounts(order, settings.includeShippingCost());
        if (!suspicious.isEmpty()) {
            return new Plan.Park(String.join("; ", suspicious));
        }
        boolean taxExcluded = ExcludedTax.applies(order);
        BigDecimal shipping = !settings.includeShippingCost() ? BigDecimal.ZERO
                : taxExcluded ? shippingAmount(order).add(ExcludedTax.shippingTax(order)) : shippingAmount(order);

        // Products, each distinct code looked up once (the lookup may be a remote call).
        Function<String, Optional<ProductInfo>> lookup = code -> Objects.requireNonNullElse(productBySku.apply(code),
                Optional.empty());
        Map<String, Optional<ProductInfo>> concepts = new HashMap<>();
        Set<String> missing = new LinkedHashSet<>();
        for (JsModel.Line line : lines) {
            if (line.sku() == null || line.sku().isBlank()) {
                missing.add("(sin SKU: '" + line.name() + "')");
            } else if (concepts.computeIfAbsent(line.sku(), lookup).isEmpty()) {
                missing.add(line.sku());
            }
        }
        List<String> productProblems = new ArrayList<>();
        if (!missing.isEmpty()) {
            productProblems.add((missing.size() == 1 ? "El SKU " : "Los SKU ") + String.join(", ", missing)
                    + (missing.size() == 1 ? " no tiene" : " no tienen") + " producto en Contabilium");
        }
        ProductInfo shippingConcept = null;
        if (shipping.signum() > 0) {
            String code = settings.shippingConceptCode();
            if (code == null || code.isBlank()) {
                productProblems.add("El pedido tiene envío de " + Money.ars(shipping)
                        + " pero no hay un concepto de envío configurado");
            } else {
                shippingConcept = concepts.computeIfAbsent(code, lookup).orElse(null);
                if (shippingConcept == null) {
                    productProblems.add("El concepto de envío " + code + " no existe en Contabilium (envío de "
                            + Money.ars(shipping) + ")");
                }
            }
        }
        if (!productProblems.isEmpty()) {
            return new Plan.Park(String.join(". ", productProblems));
        }

        Buyer buyer = BuyerIdentification.identify(order);
        if (seller.equals("RI") && !buyer.conditionStated()) {
            // A company is no consumidor final: with a valid CUIT and no stated condition it is taken for
            // Responsable Inscripto (Factura A); with a CUIT ARCA would refuse, a person has to look.
            if (buyer.document().filter(TaxDocument::isCompany).isPresent()) {
                buyer = buyer.withCondicionIva("RI");
            } else if (!buyer.hasCuit() && BuyerIdentification.typedCompanyCuit(order).isPresent()) {
                return new Plan.Park("El comprador es una empresa (CUIT informado: '"
                        + BuyerIdentification.typedCompanyCuit(order).get() + "') sin condición frente al IVA: "
                        + "falta un CUIT válido para emitirle Factura A (o su condición frente al IVA en el pedido)");
            }
        }
        String tipoFc = letter(seller, buyer.condicionIva());
        if (tipoFc.equals("FCA") && !buyer.hasCuit()) {
            List<String> typed = BuyerIdentification.documentTexts(order);
            return new Plan.Park("Factura A requiere un CUIT válido: el comprador es "
                    + conditionName(buyer.condicionIva()) + " y el pedido "
                    + buyer.document().map(d -> "trae " + d + " en lugar de un CUIT").orElse("no trae un CUIT válido")
                    + (typed.isEmpty() ? "" : " (informado: '" + String.join("', '", typed) + "')"));
        }

        List<BigDecimal> amounts = lineAmounts(order);
        List<ProductInfo> lineConcepts = lines.stream().map(line -> concepts.get(line.sku()).orElseThrow()).toList();
        List<Alicuota> rates = lineConcepts.stream()
                .map(concept -> concept.iva() != null ? concept.iva() : Alicuota.rate(settings.defaultIva())).toList();
        BigDecimal tax = BigDecimal.ZERO;
        if (taxExcluded) {
            ExcludedTax.Split split = ExcludedTax.split(order, amounts,
                    rates.stream().map(Alicuota::percent).toList());
            if (split.problem() != null) {
                return new Plan.Park(split.problem());
            }
            amounts = split.amounts();
            tax = round2(orZero(order.tax()));
        }
        BigDecimal expected = round2(orZero(order.subtotal() != null ? order.subtotal() : grossOf(lines))
                .subtract(orZero(order.discount())).add(tax).add(shipping));
        if (taxExcluded) {
            Optional<String> total = ExcludedTax.totalProblem(order, expected, settings.includeShippingCost());
            if (total.isPresent()) {
                return new Plan.Park(total.get());
            }
        }
        if (buyer.document().isEmpty() && expected.compareTo(cfIdentificationThreshold) >= 0) {
            return new Plan.Park("El comprador no está identificado (sin DNI ni CUIT) y el total del pedido, "
                    + Money.ars(expected) + ", alcanza el umbral de " + Money.ars(cfIdentificationThreshold)
                    + " desde el que un consumidor final debe identificarse (RG 5700/2025)");
        }

        boolean splitIva = !tipoFc.equals("FCC");
        List<LinePricing.Target> targets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            JsModel.Line line = lines.get(i);
            ProductInfo concept = lineConcepts.get(i);
            String name = line.name() == null || line.name().isBlank() ? concept.nombre() : line.name();
            targets.add(new LinePricing.Target(concept, name, line.qty(), rates.get(i), amounts.get(i)));
        }
        if (shippingConcept != null) {
            targets.addAll(shippingTargets(targets, shippingConcept, shipping, settings.defaultIva(), splitIva));
        }
        List<CbModel.Item> items = LinePricing.price(targets, splitIva);
        BigDecimal computed = ContabiliumTotals.total(items);
        if (computed.subtract(expected).abs().compareTo(CENT) > 0) {
            return new Plan.Park("El total calculado (" + Money.ars(computed) + ") no coincide con el del pedido ("
                    + Money.ars(expected) + "): diferencia de " + Money.ars(computed.subtract(expected).abs())
                    + ". Revisar subtotal, descuentos y envío del pedido");
        }
        return new Plan.Ready(buyer, tipoFc, items, expected, computed);
    }

    /** The contract's letters table. */
    static String letter(String sellerCondicionIva, String buyerCondicionIva) {
        if (!sellerCondicionIva.equals("RI")) {
            return "FCC";
        }
        return buyerCondicionIva.equals("RI") || buyerCondicionIva.equals("MO") ? "FCA" : "FCB";
    }

    /**
     * Each order line's amount: its own less its own discount, less its share of the order-level coupon (the
     * part of the order discount the lines do not already carry).
     */
    private static List<BigDecimal> lineAmounts(JsModel.Order order) {
        List<JsModel.Line> lines = order.lines();
        List<BigDecimal> amounts = new ArrayList<>();
        BigDecimal lineDiscounts = BigDecimal.ZERO;
        for (JsModel.Line line : lines) {
            amounts.add(gross(line).subtract(round2(orZero(line.discount()))));
            lineDiscounts = lineDiscounts.add(round2(orZero(line.discount())));
        }
        BigDecimal coupon = round2(orZero(order.discount())).subtract(lineDiscounts);
        if (coupon.signum() > 0) {
            // A coupon larger than the lines cannot be spread without negative lines: spread what fits and let
            // the total check park the order with both amounts.
            BigDecimal available = amounts.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            List<BigDecimal> shares = spread(coupon.min(available), amounts);
            for (int i = 0; i < amounts.size(); i++) {
                amounts.set(i, amounts.get(i).subtract(shares.get(i)));
            }
        }
        return amounts;
    }

    /**
     * Shipping sold with the goods follows their IVA (IVA law, art. 10): when the goods share one alícuota the
     * shipping takes it (exempt goods, exempt shipping); with several, the shipping is one line per alícuota, split
     * in proportion to the goods' net amounts at each, in whole cents that add up to the shipping exactly (see
     * {@link #spread}). Only when no good has an amount does the link's default rate apply. Factura C shows no
     * IVA, so its shipping stays one line.
     */
    private static List<LinePricing.Target> shippingTargets(List<LinePricing.Target> goods, ProductInfo concept,
            BigDecimal shipping, BigDecimal defaultIva, boolean splitIva) {
        String name = concept.nombre() == null || concept.nombre().isBlank() ? "Envío" : concept.nombre();
        Map<Alicuota, BigDecimal> netByAlicuota = new LinkedHashMap<>();
        for (LinePricing.Target good : goods) {
            BigDecimal net = good.amount().multiply(HUNDRED)
                    .divide(HUNDRED.add(good.rate().percent()), 10, RoundingMode.HALF_UP);
            if (net.signum() > 0) {
                netByAlicuota.merge(good.rate(), net, BigDecimal::add);
            }
        }
        if (netByAlicuota.isEmpty()) {
            return List.of(new LinePricing.Target(concept, name, BigDecimal.ONE, Alicuota.rate(defaultIva), shipping));
        }
        List<Alicuota> alicuotas = new ArrayList<>(netByAlicuota.keySet());
        if (alicuotas.size() == 1 || !splitIva) {
            return List.of(new LinePricing.Target(concept, name, BigDecimal.ONE, alicuotas.get(0), shipping));
        }
        List<BigDecimal> shares = spread(shipping, new ArrayList<>(netByAlicuota.values()));
        List<LinePricing.Target> parts = new ArrayList<>();
        for (int i = 0; i < alicuotas.size(); i++) {
            if (shares.get(i).signum() > 0) {
                parts.add(new LinePricing.Target(concept, name + " (" + alicuotas.get(i).label() + ")", BigDecimal.ONE,
                        alicuotas.get(i), shares.get(i)));
            }
        }
        return parts;
    }

    /**
     * Splits {@code total} over the weights in proportion, in whole cents that add up exactly: each share
     * is rounded down and the leftover cents go to the largest remainders (earlier lines win ties).
     */
    static List<BigDecimal> spread(BigDecimal total, List<BigDecimal> weights) {
        BigDecimal sum = weights.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        List<BigDecimal> shares = new ArrayList<>();
        if (sum.signum() <= 0 || total.signum() <= 0) {
            weights.forEach(w -> shares.add(BigDecimal.ZERO.setScale(2)));
            return shares;
        }
        List<BigDecimal> remainders = new ArrayList<>();
        BigDecimal assigned = BigDecimal.ZERO;
        for (BigDecimal weight : weights) {
            BigDecimal exact = total.multiply(weight).divide(sum, 10, RoundingMode.HALF_UP);
            BigDecimal floor = exact.setScale(2, RoundingMode.FLOOR);
            shares.add(floor);
            remainders.add(exact.subtract(floor));
            assigned = assigned.add(floor);
        }
        int leftoverCents = total.subtract(assigned).movePointRight(2).intValueExact();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> remainders.get(b).compareTo(remainders.get(a)));
        for (int k = 0; k < leftoverCents; k++) {
            int i = order.get(k % order.size());
            shares.set(i, shares.get(i).add(CENT));
        }
        return shares;
    }

    /** Amounts that would make an invoice wrong however they are priced: better a merchant looks first. */
    private static List<String> suspiciousAmounts(JsModel.Order order, boolean includeShipping) {
        List<String> problems = new ArrayList<>();
        for (JsModel.Line line : order.lines()) {
            String which = "La línea '" + line.name() + "' (SKU " + line.sku() + ")";
            if (line.qty() == null || line.qty().signum() <= 0) {
                problems.add(which + " tiene cantidad " + (line.qty() == null ? "vacía" : line.qty().toPlainString()));
                continue;
            }
            if (line.price() == null || line.price().signum() < 0) {
                problems.add(which + " tiene precio " + (line.price() == null ? "vacío" : Money.ars(line.price())));
                continue;
            }
            BigDecimal discount = orZero(line.discount());
            if (discount.signum() < 0) {
                problems.add(which + " tiene un descuento negativo (" + Money.ars(discount) + ")");
            } else if (discount.compareTo(gross(line)) > 0) {
                problems.add(which + " tiene un descuento de " + Money.ars(discount) + " mayor que su importe de "
                        + Money.ars(gross(line)));
            }
        }
        if (orZero(order.discount()).signum() < 0) {
            problems.add("El descuento del pedido es negativo (" + Money.ars(order.discount()) + ")");
        }
        if (includeShipping && (orZero(order.shipping()).signum() < 0 || shippingAmount(order).signum() < 0)) {
            problems.add("El envío del pedido es negativo (envío " + Money.ars(orZero(order.shipping()))
                    + ", descuento de envío " + Money.ars(orZero(order.shippingDiscount())) + ")");
        }
        return problems;
    }

    private static BigDecimal shippingAmount(JsModel.Order order) {
        return round2(orZero(order.shipping()).subtract(orZero(order.shippingDiscount())));
    }

    private static BigDecimal gross(JsModel.Line line) {
        return round2(line.price().multiply(line.qty()));
    }

    private static BigDecimal grossOf(List<JsModel.Line> lines) {
        return lines.stream().map(InvoicePlanner::gross).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static String conditionName(String condicionIva) {
        return switch (condicionIva) {
            case "RI" -> "Responsable Inscripto";
            case "MO" -> "Monotributista";
            case "EX" -> "Exento";
            default -> "Consumidor Final";
        };
    }

    private static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}
