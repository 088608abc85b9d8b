@NullMarked
package io.listenlog.dashboard;

import org.jspecify.annotations.NullMarked;
