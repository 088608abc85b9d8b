@NullMarked
package io.listenlog.servlet.internal;

import org.jspecify.annotations.NullMarked;
