// The console works without JavaScript; this adds selection, confirmations and live progress.
(function () {
    'use strict';

    function $(selector) { return document.querySelector(selector); }
    function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }

    function getJson(url) {
        return fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
            .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); });
    }

    function withoutParams(names) {
        var url = new URL(window.location.href);
        names.forEach(function (n) { url.searchParams.delete(n); });
        return url.toString();
    }

    // Forms that ask before they act.
    all('form[data-confirm]').forEach(function (form) {
        form.addEventListener('submit', function (event) {
            if (!window.confirm(form.getAttribute('data-confirm'))) { event.preventDefault(); }
        });
    });

    // Selection of orders for "Facturar seleccionadas".
    var boxes = all('input[name="orderIds"]');
    var bulkButton = $('#invoice-selected');
    var countLabel = $('#selected-count');
    function refreshSelection() {
        var n = boxes.filter(function (b) { return b.checked; }).length;
        if (bulkButton) { bulkButton.disabled = n === 0; }
        if (countLabel) { countLabel.textContent = n === 0 ? 'Marque los pedidos a facturar' : (n === 1 ? '1 pedido seleccionado' : n + ' pedidos seleccionados'); }
    }
    boxes.forEach(function (b) { b.addEventListener('change', refreshSelection); });
    var selectAll = $('#select-all');
    if (selectAll) {
        selectAll.addEventListener('change', function () {
            boxes.forEach(function (b) { b.checked = selectAll.checked; });
            refreshSelection();
        });
    }
    refreshSelection();

    // "Hasta" cannot be before "Desde": the browser refuses the range before it is sent.
    var desde = $('#desde');
    var hasta = $('#hasta');
    if (desde && hasta) {
        desde.addEventListener('change', function () { hasta.min = desde.value; });
    }

    // A bulk run's progress: one read a second until it ends, then the list is shown anew.
    var run = $('#run');
    if (run && run.getAttribute('data-state') === 'RUNNING') {
        var stateNames = { RUNNING: 'En curso', DONE: 'Terminado', CANCELED: 'Cancelado' };
        var timer = setInterval(function () {
            getJson(run.getAttribute('data-url')).then(function (view) {
                $('#run-total').textContent = view.total;
                $('#run-done').textContent = view.done;
                $('#run-invoiced').textContent = view.invoiced;
                $('#run-already').textContent = view.alreadyInvoiced;
                $('#run-already-item').classList.toggle('hidden', view.alreadyInvoiced === 0);
                $('#run-parked').textContent = view.parked;
                $('#run-failed').textContent = view.failed;
                $('#run-skipped').textContent = view.skipped;
                $('#run-state').textContent = stateNames[view.state] || view.state;
                $('#run-bar').style.width = view.percent + '%';
                if (view.state !== 'RUNNING') {
                    clearInterval(timer);
                    run.setAttribute('data-state', view.state);
                    window.location.reload();
                }
            }).catch(function () { /* a missed read is retried on the next tick */ });
        }, 1000);
    }

    // After an action on one order, wait for its outcome, then show the list anew: "Facturar" and
    // "Reintentar" wait for the order to leave PENDING, "Emitir nota de crédito" for it to leave
    // INVOICED, "Reenviar comprobante" for the receipt to leave the sending queue.
    var page = $('#orders-page');
    var stateUrl = page && page.getAttribute('data-state-url');
    if (stateUrl) {
        var since = Number(page.getAttribute('data-since') || '0');
        var awaiting = page.getAttribute('data-awaiting') || 'PENDING';
        var tries = 0;
        var watchTimer = setInterval(function () {
            tries++;
            getJson(stateUrl).then(function (order) {
                var done = awaiting === 'receipt'
                    ? order.receipt !== 'PENDING'
                    : order.status !== awaiting && order.updatedAt > since;
                if (done || tries > 60) {
                    clearInterval(watchTimer);
                    // Back to the list, which then says how the action ended.
                    var next = new URL(withoutParams(['watch', 'since', 'aguardar']));
                    next.searchParams.set('resultado', page.getAttribute('data-watch'));
                    next.searchParams.set('accion', page.getAttribute('data-action') || 'factura');
                    window.location.replace(next.toString());
                }
            }).catch(function () {
                if (tries > 60) { clearInterval(watchTimer); }
            });
        }, 1000);
    }

    // Reconciliation: follow the run once a second; show the differences when it ends.
    var reconciliation = $('#reconciliation');
    if (reconciliation && ['QUEUED', 'RUNNING'].indexOf(reconciliation.getAttribute('data-state')) >= 0) {
        var reconciliationTimer = setInterval(function () {
            getJson(reconciliation.getAttribute('data-url')).then(function (state) {
                $('#reconciliation-bar').style.width = state.percent + '%';
                $('#reconciliation-percent').textContent = state.percent + ' %';
                $('#reconciliation-step').textContent = state.step;
                if (state.finished) {
                    clearInterval(reconciliationTimer);
                    window.location.reload();
                }
            }).catch(function () { /* retried on the next tick */ });
        }, 1000);
    }

    // Sync page: while a run is queued or running, look once a second; show the reports when it ends.
    var syncPage = $('#sync-page');
    if (syncPage && syncPage.getAttribute('data-active') === 'true') {
        var syncTries = 0;
        var syncTimer = setInterval(function () {
            syncTries++;
            getJson(syncPage.getAttribute('data-state-url')).then(function (state) {
                if (state.active.length === 0) {
                    clearInterval(syncTimer);
                    window.location.reload();
                }
            }).catch(function () { /* retried on the next tick */ });
            if (syncTries > 600) { clearInterval(syncTimer); }
        }, 1000);
    }
})();
