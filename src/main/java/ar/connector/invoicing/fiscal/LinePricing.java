package ar.connector.invoicing.fiscal;

import static ar.connector.invoicing.fiscal.ContabiliumTotals.round2;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

import ar.connector.contabilium.Alicuota;
import ar.connector.contabilium.CbModel;

/**
 * Turns final line amounts (IVA included, discounts applied) into Contabilium items whose recomputed
 * totals reproduce those amounts to the cent.
 *
 * <p>Contabilium rounds per line: {@code total = n + round2(n × rate/100)} for a 2-decimal neto n. That
 * function sometimes jumps by 0.02, so some final amounts have no exact neto; then the line takes the
 * closest neto below and its missing cent is carried to the next line's target. If a cent is still
 * missing after the last line, one or two lines are moved by a neto step or two that yield exactly that cent.
 */
final class LinePricing {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal CENT = new BigDecimal("0.01");
    private static final BigDecimal UNIT_STEP = new BigDecimal("0.0001");

    private LinePricing() {
    }

    /**
     * A line to invoice.
     *
     * @param amount final amount of the whole line (IVA included, after its discounts), 2 decimals, ≥ 0
     * @param rate   the line's IVA: the concept's rate, or its exemption
     */
    record Target(ProductInfo concept, String concepto, BigDecimal qty, Alicuota rate, BigDecimal amount) {
    }

    /**
     * @param splitIva true for A and B (net price plus IVA); false for C, where the seller charges no
     *                 IVA and the final price is sent with {@code Iva} 0
     */
    static List<CbModel.Item> price(List<Target> targets, boolean splitIva) {
        List<CbModel.Item> items = new ArrayList<>(targets.size());
        BigDecimal carry = BigDecimal.ZERO;
        for (Target target : targets) {
            Alicuota rate = splitIva ? target.rate() : Alicuota.ZERO;
            BigDecimal goal = target.amount().add(carry);
            if (target.amount().signum() == 0 || goal.signum() <= 0) {
                // A free line stays free; the carried cent goes on to the next line that has an amount.
                CbModel.Item item = item(target, rate, netFor(target.amount(), rate.percent()));
                items.add(item);
                carry = goal.subtract(ContabiliumTotals.amounts(item).total());
                continue;
            }
            CbModel.Item item = item(target, rate, netFor(goal, rate.percent()));
            items.add(item);
            carry = goal.subtract(ContabiliumTotals.amounts(item).total());
        }
        if (carry.signum() != 0) {
            absorb(items, targets, carry, splitIva);
        }
        return items;
    }

    /**
     * Moves the neto of one line, or else of two lines, by up to two cents each so that the invoice total
     * changes by exactly {@code missing}; later lines are tried first. Each moved line then differs from its
     * own amount by a cent or two, but the invoice matches what the buyer paid. Leaves the items as they are
     * when no such move exists (a single line whose amount no neto reaches).
     */
    private static void absorb(List<CbModel.Item> items, List<Target> targets, BigDecimal missing, boolean splitIva) {
        List<List<Move>> moves = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            moves.add(moves(items.get(i), targets.get(i), splitIva));
        }
        for (int i = items.size() - 1; i >= 0; i--) {
            for (Move move : moves.get(i)) {
                if (move.change().compareTo(missing) == 0) {
                    items.set(i, move.item());
                    return;
                }
            }
        }
        for (int i = items.size() - 1; i >= 0; i--) {
            for (int j = i - 1; j >= 0; j--) {
                for (Move first : moves.get(i)) {
                    for (Move second : moves.get(j)) {
                        if (first.change().add(second.change()).compareTo(missing) == 0) {
                            items.set(i, first.item());
                            items.set(j, second.item());
                            return;
                        }
                    }
                }
            }
        }
    }

    /** A line priced at a neighbouring neto, and how much that changes its total. */
    private record Move(CbModel.Item item, BigDecimal change) {
    }

    private static List<Move> moves(CbModel.Item current, Target target, boolean splitIva) {
        List<Move> moves = new ArrayList<>();
        if (target.amount().signum() == 0) {
            return moves; // a free line stays free
        }
        ContabiliumTotals.Line amounts = ContabiliumTotals.amounts(current);
        Alicuota rate = splitIva ? target.rate() : Alicuota.ZERO;
        for (int k : new int[] {1, -1, 2, -2}) {
            BigDecimal neto = amounts.neto().add(CENT.multiply(BigDecimal.valueOf(k)));
            if (neto.signum() < 0) {
                continue;
            }
            CbModel.Item moved = item(target, rate, neto);
            ContabiliumTotals.Line movedAmounts = ContabiliumTotals.amounts(moved);
            if (movedAmounts.neto().compareTo(neto) == 0) {
                moves.add(new Move(moved, movedAmounts.total().subtract(amounts.total())));
            }
        }
        return moves;
    }

    /** The 2-decimal neto whose line total is exactly {@code amount}, else the closest one below it. */
    static BigDecimal netFor(BigDecimal amount, BigDecimal rate) {
        if (rate.signum() == 0) {
            return amount;
        }
        BigDecimal estimate = amount.multiply(HUNDRED).divide(HUNDRED.add(rate), 2, RoundingMode.HALF_UP);
        BigDecimal below = null;
        // The estimate is within a cent or two of the answer; a window of ±5 cents is ample.
        for (int k = -5; k <= 5; k++) {
            BigDecimal neto = estimate.add(CENT.multiply(BigDecimal.valueOf(k)));
            if (neto.signum() < 0) {
                continue;
            }
            int cmp = withIva(neto, rate).compareTo(amount);
            if (cmp == 0) {
                return neto;
            }
            if (cmp < 0) {
                below = neto;
            }
        }
        return below == null ? BigDecimal.ZERO.setScale(2) : below;
    }

    static BigDecimal withIva(BigDecimal neto, BigDecimal rate) {
        return neto.add(round2(neto.multiply(rate).divide(HUNDRED)));
    }

    /**
     * The item for a line neto. The unit price has 4 decimals; when {@code neto / qty} rounded does not
     * multiply back to the neto, neighbouring unit prices are tried. Large quantities may allow none: the
     * closest is kept, and the caller carries whatever difference the recomputed total shows.
     */
    private static CbModel.Item item(Target target, Alicuota rate, BigDecimal neto) {
        BigDecimal qty = target.qty();
        BigDecimal unit = neto.divide(qty, 4, RoundingMode.HALF_UP);
        BigDecimal chosen = unit;
        for (int k = 0; k <= 3; k++) {
            BigDecimal up = unit.add(UNIT_STEP.multiply(BigDecimal.valueOf(k)));
            BigDecimal down = unit.subtract(UNIT_STEP.multiply(BigDecimal.valueOf(k)));
            if (round2(up.multiply(qty)).compareTo(neto) == 0) {
                chosen = up;
                break;
            }
            if (down.signum() >= 0 && round2(down.multiply(qty)).compareTo(neto) == 0) {
                chosen = down;
                break;
            }
        }
        return new CbModel.Item(target.concept().idConcepto(), target.concept().codigo(), target.concepto(), qty, chosen,
                rate, BigDecimal.ZERO);
    }
}
