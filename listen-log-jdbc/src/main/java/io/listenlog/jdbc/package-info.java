@NullMarked
package io.listenlog.jdbc;

import org.jspecify.annotations.NullMarked;
