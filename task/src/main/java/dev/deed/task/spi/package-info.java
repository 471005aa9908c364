/**
 * The stack SPI: an architecture's saved-context layout (which callee-saved registers a context
 * switch stores, in what order, how big and how aligned) and the initial frame of a new task.
 */
package dev.deed.task.spi;
