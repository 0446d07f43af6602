/**
 * The one audited opening path. Opening a sharing (sending a party the component it lacks) is the only
 * protocol step that can reveal a secret, so every opening goes through
 * {@link org.fastcrypt4j.mpc.opening.Openings}, which records it in the session's
 * {@link org.fastcrypt4j.mpc.opening.OpeningLog} under the protocol's tag prefix. Tests compare those counts
 * with the documented number of openings of every protocol (two per Falcon MSB, none for ABY3's MSB,
 * truncation or ReLU, one per reveal), so an accidental extra opening shows up as a failing count.
 *
 * <p>Why a capability. While all protocols lived in one package, {@code Openings} was package-private: only
 * protocol code could open, and user code could only reveal through {@code Sharing}. With the protocols split
 * into families (sharing, arithmetic, binary, falcon, functions) the opening methods must be reachable from
 * several packages, and making them public would let any class, a layer in {@code org.fastcrypt4j.nn} or a
 * user's program, open a sharing without the reveal API and without anyone noticing. Instead:
 * <ul>
 *   <li>The opening methods are instance methods; {@code Openings} has no public constructor and no public
 *       static opening method.</li>
 *   <li>The only way to an instance is {@link org.fastcrypt4j.mpc.opening.Openings#forProtocol}, which takes
 *       the caller's {@link java.lang.invoke.MethodHandles.Lookup}. It accepts a lookup only if it has
 *       {@code PRIVATE} access, which only a class's own {@code MethodHandles.lookup()} has (lookups teleported
 *       with {@code in(...)} or reduced with {@code dropLookupMode(...)} have lost it), and {@code ORIGINAL}
 *       access, which a lookup that {@code MethodHandles.privateLookupIn} made for another class lacks; and
 *       only if the lookup class lies in one of the five protocol packages. Otherwise it throws
 *       {@link java.lang.IllegalCallerException} naming the class.</li>
 *   <li>Each protocol class that opens keeps its instance in a
 *       {@code private static final Openings OPEN = Openings.forProtocol(MethodHandles.lookup());} and never
 *       hands it out; {@code Sharing}'s user-facing reveals use one too, so reveals are logged under
 *       "reveal".</li>
 *   <li>{@code OpeningLog.record} is package-private: only {@code Openings} writes the log; everyone may read
 *       it.</li>
 * </ul>
 * So a class outside the protocol packages cannot obtain an {@code Openings}, and a protocol class can be
 * audited for openings by searching for its {@code OPEN} field.
 *
 * <p>What this does not cover, as for any Java access control: reflection that overrides access
 * ({@code setAccessible}, or a forged {@code Lookup} obtained through it), and code that declares a class in
 * one of the protocol packages itself (on the class path a package is not sealed; the tests in the protocol
 * packages use this on purpose, as they used package-private access before). It also does not stop code that
 * holds a {@code Session} from sending its own components over {@code Session.transport()}: the capability
 * keeps the opening path single and counted, it does not sandbox the caller.
 */
package org.fastcrypt4j.mpc.opening;
