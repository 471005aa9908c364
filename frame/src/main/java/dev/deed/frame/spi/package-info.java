/**
 * What an architecture module tells the lowest layer: its {@link dev.deed.frame.spi.MemoryLayout}.
 * Implementations are found with {@link java.util.ServiceLoader} ({@code provides
 * dev.deed.frame.spi.MemoryLayout with …} in the arch module); {@link dev.deed.frame.MemoryLayouts}
 * looks them up by architecture name.
 */
package dev.deed.frame.spi;
