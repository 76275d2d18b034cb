package ar.connector.sync;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import ar.connector.contabilium.CbModel;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;

/**
 * Reads sellable stock ({@code StockConReservas}) from Contabilium, one read per split item of the
 * {@code stock-sync} route: a whole warehouse with {@code getStockByDeposito} (50 SKUs a call, from
 * the inventory budget), or one SKU named by a webhook with {@code getStockBySKU}, which answers
 * every warehouse of that SKU in one call. The route reads several at once (thread pool
 * {@code stock-reads}) so the round trip does not keep the rate far below the budget, and adds the
 * reads up per warehouse and SKU ({@link SyncTotals#stock}).
 */
@Component
public class ContabiliumStock {

    private final ContabiliumClient contabilium;

    public ContabiliumStock(ContabiliumClient contabilium) {
        this.contabilium = contabilium;
    }

    /** Sellable units per warehouse and upper-cased SKU. */
    public record Snapshot(Map<Long, Map<String, BigDecimal>> byWarehouse, int rowsRead) {

        /** What a store shows: one warehouse, or the per-SKU sum of all when none is chosen. */
        public Map<String, BigDecimal> view(Long depositoId) {
            if (depositoId != null) {
                return byWarehouse.getOrDefault(depositoId, Map.of());
            }
            Map<String, BigDecimal> sum = new HashMap<>();
            byWarehouse.values().forEach(rows -> rows.forEach((sku, units) -> sum.merge(sku, units, BigDecimal::add)));
            return sum;
        }

        /** This snapshot and another, summed per warehouse and SKU. */
        public Snapshot plus(Snapshot other) {
            Map<Long, Map<String, BigDecimal>> sum = new HashMap<>();
            for (Snapshot part : List.of(this, other)) {
                part.byWarehouse().forEach((warehouse, rows) -> rows.forEach((sku, units) ->
                        sum.computeIfAbsent(warehouse, w -> new HashMap<>()).merge(sku, units, BigDecimal::add)));
            }
            return new Snapshot(sum, rowsRead + other.rowsRead());
        }
    }

    /** One read of the {@code stock-sync} route's split: a warehouse, or one SKU across every warehouse. */
    public record StockRead(ContabiliumAccount account, Long depositoId, String sku) {
    }

    /** The account's warehouses (for a store that sums all of them). */
    public List<Long> warehouses(ContabiliumAccount account) {
        return contabilium.depositos(account).stream().map(CbModel.Deposito::id).toList();
    }

    public Snapshot read(StockRead read) {
        return read.sku() == null ? warehouse(read.account(), read.depositoId()) : sku(read.account(), read.sku());
    }

    private Snapshot warehouse(ContabiliumAccount account, long depositoId) {
        Map<String, BigDecimal> units = new HashMap<>();
        int[] rows = {0};
        contabilium.forEachStockRow(account, depositoId, row -> {
            rows[0]++;
            if (row.codigo() != null && !row.codigo().isBlank()) {
                units.merge(Listing.key(row.codigo()), sellable(row.stockConReservas()), BigDecimal::add);
            }
        });
        return new Snapshot(Map.of(depositoId, units), rows[0]);
    }

    /** One SKU in every warehouse; an SKU Contabilium does not know reads as nothing. */
    private Snapshot sku(ContabiliumAccount account, String sku) {
        CbModel.StockBySku stock = contabilium.stockBySku(account, sku).orElse(null);
        if (stock == null) {
            return new Snapshot(Map.of(), 0);
        }
        Map<Long, Map<String, BigDecimal>> byWarehouse = new HashMap<>();
        for (CbModel.WarehouseStock warehouse : stock.stock() == null ? List.<CbModel.WarehouseStock>of() : stock.stock()) {
            byWarehouse.computeIfAbsent(warehouse.id(), id -> new HashMap<>())
                    .merge(Listing.key(sku), sellable(warehouse.stockConReservas()), BigDecimal::add);
        }
        return new Snapshot(byWarehouse, 1);
    }

    private static BigDecimal sellable(BigDecimal stockConReservas) {
        return stockConReservas == null ? BigDecimal.ZERO : stockConReservas.max(BigDecimal.ZERO);
    }
}
