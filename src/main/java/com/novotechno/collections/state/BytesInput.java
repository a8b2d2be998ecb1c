package com.novotechno.collections.state;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * {@link DataInput} over one byte array, unsynchronised: what a snapshot's records are decoded from,
 * a million times at a start, where a stream's per-call locking would cost more than the decoding.
 */
final class BytesInput implements DataInput {

    private final byte[] bytes;
    private final int end;
    private int position;

    BytesInput(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.position = offset;
        this.end = offset + length;
    }

    boolean atEnd() {
        return position == end;
    }

    private int take(int n) throws EOFException {
        if (n < 0 || end - position < n) {
            throw new EOFException("a record ends early");
        }
        int at = position;
        position += n;
        return at;
    }

    @Override
    public void readFully(byte[] into) throws IOException {
        readFully(into, 0, into.length);
    }

    @Override
    public void readFully(byte[] into, int offset, int length) throws IOException {
        System.arraycopy(bytes, take(length), into, offset, length);
    }

    @Override
    public int skipBytes(int n) throws IOException {
        take(n);
        return n;
    }

    @Override
    public boolean readBoolean() throws IOException {
        return bytes[take(1)] != 0;
    }

    @Override
    public byte readByte() throws IOException {
        return bytes[take(1)];
    }

    @Override
    public int readUnsignedByte() throws IOException {
        return bytes[take(1)] & 0xff;
    }

    @Override
    public short readShort() throws IOException {
        int at = take(2);
        return (short) (((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff));
    }

    @Override
    public int readUnsignedShort() throws IOException {
        return readShort() & 0xffff;
    }

    @Override
    public char readChar() throws IOException {
        return (char) readUnsignedShort();
    }

    @Override
    public int readInt() throws IOException {
        int at = take(4);
        return ((bytes[at] & 0xff) << 24) | ((bytes[at + 1] & 0xff) << 16) | ((bytes[at + 2] & 0xff) << 8) | (bytes[at + 3] & 0xff);
    }

    @Override
    public long readLong() throws IOException {
        return ((long) readInt() << 32) | (readInt() & 0xffffffffL);
    }

    @Override
    public float readFloat() {
        throw new UnsupportedOperationException("a record holds no floating point");
    }

    @Override
    public double readDouble() {
        throw new UnsupportedOperationException("a record holds no floating point");
    }

    @Override
    public String readLine() {
        throw new UnsupportedOperationException("a record holds no lines");
    }

    @Override
    public String readUTF() throws IOException {
        return DataInputStream.readUTF(this);
    }
}
