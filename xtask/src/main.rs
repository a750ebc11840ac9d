fn main() {
    eprintln!("usage: cargo xtask <generate|test|bench>");
    std::process::exit(2);
}
