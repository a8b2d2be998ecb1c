package com.novotechno.collections.reconcile;

import com.novotechno.collections.domain.InvoiceKey;
import java.util.Comparator;

/**
 * The reconcile and state-audit routes' cycle over every invoice key (see {@link RollingCycle}): sorted by
 * client and invoice number, a whole client's key left out (it has no file and no row). An invoice issued
 * mid-cycle is visited at the tick after its change (the routes take the changed ones too) and joins the
 * next cycle.
 */
public final class RollingSweep extends RollingCycle<InvoiceKey> {

    private static final Comparator<InvoiceKey> ORDER =
            Comparator.comparing(InvoiceKey::client).thenComparing(InvoiceKey::invoiceNumber);

    public RollingSweep(ReconcileSchedule schedule) {
        super(schedule, ORDER, key -> !key.isWholeClient());
    }
}
