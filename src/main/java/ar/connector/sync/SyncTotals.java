package ar.connector.sync;

import org.springframework.stereotype.Component;

/**
 * The aggregations of the sync routes' splits, as plain Java (no Camel types: the routes adapt each
 * method as a POJO aggregation strategy, and {@code null} stands for "nothing yet").
 */
@Component("syncTotals")
public class SyncTotals {

    /** Stock reads of one account, summed per warehouse and SKU. */
    public ContabiliumStock.Snapshot stock(ContabiliumStock.Snapshot sofar, ContabiliumStock.Snapshot read) {
        return sofar == null ? read : sofar.plus(read);
    }

    /** The writes of one store's run. */
    public SyncStores.WriteTally writes(SyncStores.WriteTally sofar, StoreWriter.WriteResult write) {
        return SyncStores.WriteTally.add(sofar, write);
    }

    /** The stores' outcomes of one account's stock or one price list. */
    public SyncStores.Summary stores(SyncStores.Summary sofar, SyncStores.StoreOutcome store) {
        return SyncStores.Summary.add(sofar, store);
    }
}
