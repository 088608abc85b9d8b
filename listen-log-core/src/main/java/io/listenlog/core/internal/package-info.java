@NullMarked
package io.listenlog.core.internal;

import org.jspecify.annotations.NullMarked;
