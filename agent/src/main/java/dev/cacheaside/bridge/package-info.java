/**
 * The few classes that instrumented application code calls. They are injected into the bootstrap
 * class loader at start-up, so that advice inlined into a class of any loader (web-app, nested-jar,
 * isolated) can reach them. They use only {@code java.*} types and hold no logic: the agent installs
 * its {@link dev.cacheaside.bridge.Dispatcher} behind them.
 */
package dev.cacheaside.bridge;
