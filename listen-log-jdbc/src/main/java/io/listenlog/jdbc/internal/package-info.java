@NullMarked
package io.listenlog.jdbc.internal;

import org.jspecify.annotations.NullMarked;
