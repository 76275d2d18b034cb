/**
 * An in-process Contabilium REST sandbox for tests ({@link ar.connector.sandbox.contabilium.ContabiliumSandbox}),
 * following {@code /work/shared/contracts/contabilium/README.md}.
 *
 * <p>Choices where the contract leaves room:
 * <ul>
 *   <li>Defaults are the real limits: 25 calls per sliding 10 s, inventory 30 per 10 s, 60 s block, per account.
 *       {@code /token} is never limited. Call {@code unlimited()} in tests that do not exercise pacing.</li>
 *   <li>AFIP numbers run per point of sale AND document type (FCB and FCA have separate series).</li>
 *   <li>emitirFE on a document that already has a CAE answers 200 with {@code Error} "ya fue emitido" and an
 *       empty CAE (counted by {@code SandboxAccount.reissueAttempts()}): after a lost answer, read the document.</li>
 *   <li>ARCA rejections (200 + {@code Error}, no CAE): Factura A to a customer that is not RI/MO with a valid
 *       CUIT; a letter that does not fit the seller (RI issues A/B, MO/EX issue C); C with IVA; B to an
 *       unidentified CF at or above the threshold; FechaEmision outside ±5 days or before the series' last.</li>
 *   <li>Malformed input answers 400, business errors 500, both {@code {"Message": …}}.</li>
 *   <li>Stock moves at crear (invoices out, credit notes in) in {@code Inventario} or the first warehouse;
 *       deleting a draft moves it back. Negative stock is allowed.</li>
 *   <li>Province IDs are alphabetical (1 Buenos Aires, 2 Capital Federal, …, 24 Tucumán).</li>
 * </ul>
 */
package ar.connector.sandbox.contabilium;
