//! Top-down operator-precedence (Pratt) parser producing the raw operator tree, which
//! [`crate::process`] then turns into the public [`crate::Expr`].
//!
//! Binding powers are JSONata's: `.` 75, `[` `(` `@` `#` 80, `{` 70, `*` `/` `%` 60,
//! `+` `-` `&` 50, comparisons, `in`, `^`, `~>`, `?:` and `??` 40, `and` 30, `or` 25, `?` 20,
//! `:=` 10 (right associative), unary minus 70.

use crate::MAX_DEPTH;
use crate::ast::BinaryOp;
use crate::error::{Error, Result};
use crate::lexer::{Lexer, Tok, Token};
use crate::signature::{Signature, parse_signature};

/// A node of the raw tree: operators as written, before paths are flattened.
#[derive(Debug)]
pub(crate) struct Raw {
    pub kind: RawKind,
    /// Byte offset of the token that introduced the node.
    pub pos: usize,
    /// `[]` was applied to this node.
    pub keep_array: bool,
    /// Height of the subtree, bounded by [`MAX_DEPTH`] so later recursive passes cannot
    /// overflow the stack.
    depth: usize,
}

#[derive(Debug)]
pub(crate) enum RawKind {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    /// Pattern and flags.
    Regex(Box<(String, String)>),
    Name(String),
    Variable(String),
    Wildcard,
    Descendant,
    Parent,
    Placeholder,
    /// The end of the input where an operand was expected; reported when processed, as the
    /// reference does, so that a missing closing bracket is reported first.
    End,
    Neg(Box<Raw>),
    Binary(BinaryOp, Box<Raw>, Box<Raw>),
    Dot(Box<Raw>, Box<Raw>),
    Predicate(Box<Raw>, Box<Raw>),
    Group(Box<Raw>, Vec<(Raw, Raw)>),
    OrderBy(Box<Raw>, Vec<(bool, Raw)>),
    Bind(String, Box<Raw>),
    Focus(Box<Raw>, String),
    Index(Box<Raw>, String),
    Apply(Box<Raw>, Box<Raw>),
    Array(Vec<Raw>),
    Object(Vec<(Raw, Raw)>),
    Block(Vec<Raw>),
    Call {
        procedure: Box<Raw>,
        args: Vec<Raw>,
        partial: bool,
    },
    Lambda(Box<Lambda>),
    Condition(Box<Raw>, Box<Raw>, Option<Box<Raw>>),
    Default(Box<Raw>, Box<Raw>),
    Coalesce(Box<Raw>, Box<Raw>),
    Transform(Box<Raw>, Box<Raw>, Option<Box<Raw>>),
}

/// A lambda definition (boxed in [`RawKind`], whose size it would otherwise double).
#[derive(Debug)]
pub(crate) struct Lambda {
    pub params: Vec<String>,
    pub signature: Option<Signature>,
    pub body: Raw,
}

impl Raw {
    /// Byte offset where the source text of this node starts (its leftmost operand).
    pub fn start(&self) -> usize {
        let mut node = self;
        loop {
            node = match &node.kind {
                RawKind::Binary(_, l, _)
                | RawKind::Dot(l, _)
                | RawKind::Predicate(l, _)
                | RawKind::Group(l, _)
                | RawKind::OrderBy(l, _)
                | RawKind::Focus(l, _)
                | RawKind::Index(l, _)
                | RawKind::Apply(l, _)
                | RawKind::Condition(l, _, _)
                | RawKind::Default(l, _)
                | RawKind::Coalesce(l, _)
                | RawKind::Call { procedure: l, .. } => l,
                _ => return node.pos,
            };
        }
    }
}

impl RawKind {
    /// Height of the tallest child subtree.
    fn child_depth(&self) -> usize {
        fn one(r: &Raw) -> usize {
            r.depth
        }
        fn opt(r: &Option<Box<Raw>>) -> usize {
            r.as_deref().map_or(0, one)
        }
        fn many<'a>(it: impl IntoIterator<Item = &'a Raw>) -> usize {
            it.into_iter().map(one).max().unwrap_or(0)
        }
        fn pairs(p: &[(Raw, Raw)]) -> usize {
            p.iter()
                .map(|(k, v)| k.depth.max(v.depth))
                .max()
                .unwrap_or(0)
        }
        match self {
            RawKind::Str(_)
            | RawKind::Num(_)
            | RawKind::Bool(_)
            | RawKind::Null
            | RawKind::Regex(_)
            | RawKind::Name(_)
            | RawKind::Variable(_)
            | RawKind::Wildcard
            | RawKind::Descendant
            | RawKind::Parent
            | RawKind::Placeholder
            | RawKind::End => 0,
            RawKind::Neg(e) | RawKind::Bind(_, e) | RawKind::Focus(e, _) | RawKind::Index(e, _) => {
                one(e)
            }
            RawKind::Binary(_, a, b)
            | RawKind::Dot(a, b)
            | RawKind::Predicate(a, b)
            | RawKind::Apply(a, b)
            | RawKind::Default(a, b)
            | RawKind::Coalesce(a, b) => one(a).max(one(b)),
            RawKind::Group(a, p) => one(a).max(pairs(p)),
            RawKind::OrderBy(a, terms) => one(a).max(many(terms.iter().map(|(_, t)| t))),
            RawKind::Array(items) | RawKind::Block(items) => many(items),
            RawKind::Object(p) => pairs(p),
            RawKind::Call {
                procedure, args, ..
            } => one(procedure).max(many(args)),
            RawKind::Lambda(l) => one(&l.body),
            RawKind::Condition(a, b, c) | RawKind::Transform(a, b, c) => {
                one(a).max(one(b)).max(opt(c))
            }
        }
    }
}

fn too_deep(position: usize) -> Box<Error> {
    Error::new(
        "U1001",
        position,
        format!("Expression is nested too deeply (more than {MAX_DEPTH} levels)"),
    )
}

/// Left binding power of the token in operator position.
fn lbp(tok: &Tok) -> u8 {
    match tok {
        Tok::Op(op) => match *op {
            "[" | "(" | "@" | "#" => 80,
            "." => 75,
            "{" => 70,
            "*" | "/" | "%" => 60,
            "+" | "-" | "&" => 50,
            "=" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "^" | "~>" | "?:" | "??" => 40,
            "and" => 30,
            "or" => 25,
            "?" => 20,
            ":=" => 10,
            _ => 0,
        },
        _ => 0,
    }
}

fn binary_op(op: &str) -> Option<BinaryOp> {
    Some(match op {
        "+" => BinaryOp::Add,
        "-" => BinaryOp::Subtract,
        "*" => BinaryOp::Multiply,
        "/" => BinaryOp::Divide,
        "%" => BinaryOp::Modulo,
        "=" => BinaryOp::Equal,
        "!=" => BinaryOp::NotEqual,
        "<" => BinaryOp::Less,
        "<=" => BinaryOp::LessEqual,
        ">" => BinaryOp::Greater,
        ">=" => BinaryOp::GreaterEqual,
        "&" => BinaryOp::Concat,
        "and" => BinaryOp::And,
        "or" => BinaryOp::Or,
        "in" => BinaryOp::In,
        _ => return None,
    })
}

pub(crate) struct Parser<'a> {
    src: &'a str,
    lexer: Lexer<'a>,
    /// The lookahead token.
    tok: Token,
    /// How many `expression` calls are active: bounds the recursion.
    nesting: usize,
}

impl<'a> Parser<'a> {
    pub fn new(src: &'a str) -> Result<Self> {
        let mut lexer = Lexer::new(src);
        let tok = lexer.next_token(true)?;
        Ok(Parser {
            src,
            lexer,
            tok,
            nesting: 0,
        })
    }

    /// Parses the whole input as one expression.
    pub fn parse(mut self) -> Result<Raw> {
        let expr = self.expression(0)?;
        if self.tok.kind != Tok::End {
            let text = self.text(&self.tok);
            return Err(
                Error::new("S0201", self.tok.start, format!("Syntax error: `{text}`"))
                    .with_token(text),
            );
        }
        Ok(expr)
    }

    fn text(&self, t: &Token) -> String {
        if t.kind == Tok::End {
            "(end)".to_string()
        } else {
            self.src[t.start..t.end].to_string()
        }
    }

    fn node(&self, kind: RawKind, pos: usize) -> Result<Raw> {
        let depth = kind.child_depth() + 1;
        if depth > MAX_DEPTH {
            return Err(too_deep(pos));
        }
        Ok(Raw {
            kind,
            pos,
            keep_array: false,
            depth,
        })
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.tok.kind, Tok::Op(o) if o == op)
    }

    /// Consumes the lookahead and reads the next token; `operand` says whether the grammar
    /// expects an operand there (which decides whether `/` starts a regex).
    fn advance(&mut self, operand: bool) -> Result<Token> {
        let next = self.lexer.next_token(operand)?;
        Ok(std::mem::replace(&mut self.tok, next))
    }

    fn expect(&mut self, op: &'static str, operand: bool) -> Result<Token> {
        if self.is_op(op) {
            return self.advance(operand);
        }
        Err(if self.tok.kind == Tok::End {
            Error::new(
                "S0203",
                self.tok.start,
                format!("Expected `{op}` before end of expression"),
            )
            .with_token("(end)")
        } else {
            let text = self.text(&self.tok);
            Error::new(
                "S0202",
                self.tok.start,
                format!("Expected `{op}`, got `{text}`"),
            )
            .with_token(text)
        })
    }

    /// Parses an expression whose operators bind tighter than `rbp`.
    ///
    /// Every recursion of the parser goes through here, so this is where nesting is bounded.
    /// The functions on the recursive path keep few temporaries (each construct has its own
    /// function, called in tail position), which keeps debug-build stack frames small too.
    fn expression(&mut self, rbp: u8) -> Result<Raw> {
        self.nesting += 1;
        if self.nesting > MAX_DEPTH {
            return Err(too_deep(self.tok.start));
        }
        // After a prefix operator an operand follows; after anything else, an operator.
        let operand_next = matches!(self.tok.kind, Tok::Op("-" | "(" | "[" | "{" | "|"));
        let t = self.advance(operand_next)?;
        let mut left = self.nud(t)?;
        while rbp < lbp(&self.tok.kind) {
            let t = self.advance(true)?;
            left = self.led(t, left)?;
        }
        self.nesting -= 1;
        Ok(left)
    }

    /// A token in operand position.
    fn nud(&mut self, t: Token) -> Result<Raw> {
        let pos = t.start;
        let kind = match t.kind {
            Tok::Op(op) => return self.prefix(op, pos),
            Tok::Name(n) => RawKind::Name(n),
            Tok::Variable(v) => RawKind::Variable(v),
            Tok::Str(s) => RawKind::Str(s),
            Tok::Num(n) => RawKind::Num(n),
            Tok::True => RawKind::Bool(true),
            Tok::False => RawKind::Bool(false),
            Tok::Null => RawKind::Null,
            Tok::Regex(r) => RawKind::Regex(r),
            Tok::End => RawKind::End,
        };
        self.node(kind, pos)
    }

    /// An operator token in operand position.
    fn prefix(&mut self, op: &'static str, pos: usize) -> Result<Raw> {
        match op {
            // The keywords double as field names.
            "and" | "or" | "in" => self.node(RawKind::Name(op.to_string()), pos),
            "*" => self.node(RawKind::Wildcard, pos),
            "**" => self.node(RawKind::Descendant, pos),
            "%" => self.node(RawKind::Parent, pos),
            "-" => self.negate(pos),
            "(" => self.block(pos),
            "[" => self.array(pos),
            "{" => self.object(pos),
            "|" => self.transform(pos),
            _ => Err(Error::new(
                "S0211",
                pos,
                format!("The symbol `{op}` cannot be used as a unary operator"),
            )
            .with_token(op)),
        }
    }

    /// An operator token in infix position, applied to `left`.
    fn led(&mut self, t: Token, left: Raw) -> Result<Raw> {
        let pos = t.start;
        let Tok::Op(op) = t.kind else {
            // Only operators have a left binding power.
            return Err(Error::new("S0201", pos, "Syntax error"));
        };
        match op {
            "." => self.infix(pos, left, 75, RawKind::Dot),
            "[" => self.predicate(pos, left),
            "(" => self.call(pos, left),
            "{" => self.group(pos, left),
            "^" => self.order_by(pos, left),
            ":=" => self.bind(pos, left),
            "@" | "#" => self.binding(pos, left, op),
            "?" => self.condition(pos, left),
            "?:" => self.infix(pos, left, 0, RawKind::Default),
            "??" => self.infix(pos, left, 0, RawKind::Coalesce),
            "~>" => self.infix(pos, left, 40, RawKind::Apply),
            _ => match binary_op(op) {
                Some(bin) => self.binary(pos, left, bin, lbp(&Tok::Op(op))),
                None => {
                    Err(Error::new("S0201", pos, format!("Syntax error: `{op}`")).with_token(op))
                }
            },
        }
    }

    /// `left op rhs` where the right operand is parsed with binding power `bp`.
    fn infix(
        &mut self,
        pos: usize,
        left: Raw,
        bp: u8,
        make: fn(Box<Raw>, Box<Raw>) -> RawKind,
    ) -> Result<Raw> {
        let rhs = self.expression(bp)?;
        self.node(make(Box::new(left), Box::new(rhs)), pos)
    }

    fn binary(&mut self, pos: usize, left: Raw, op: BinaryOp, bp: u8) -> Result<Raw> {
        let rhs = self.expression(bp)?;
        self.node(RawKind::Binary(op, Box::new(left), Box::new(rhs)), pos)
    }

    /// `-operand`.
    fn negate(&mut self, pos: usize) -> Result<Raw> {
        let operand = self.expression(70)?;
        self.node(RawKind::Neg(Box::new(operand)), pos)
    }

    /// `left[predicate]`, or `left[]` (keep singleton arrays).
    fn predicate(&mut self, pos: usize, mut left: Raw) -> Result<Raw> {
        if self.is_op("]") {
            // The mark goes on the step under any predicates already applied.
            let mut step = &mut left;
            while matches!(step.kind, RawKind::Predicate(..)) {
                let RawKind::Predicate(lhs, _) = &mut step.kind else {
                    break;
                };
                step = lhs;
            }
            step.keep_array = true;
            self.advance(false)?;
            return Ok(left);
        }
        let rhs = self.expression(0)?;
        self.expect("]", false)?;
        self.node(RawKind::Predicate(Box::new(left), Box::new(rhs)), pos)
    }

    /// `left{key: value, …}`.
    fn group(&mut self, pos: usize, left: Raw) -> Result<Raw> {
        let pairs = self.object_body()?;
        self.node(RawKind::Group(Box::new(left), pairs), pos)
    }

    /// `$name := value` (right associative).
    fn bind(&mut self, pos: usize, left: Raw) -> Result<Raw> {
        let start = left.start();
        let RawKind::Variable(name) = left.kind else {
            return Err(Error::new(
                "S0212",
                start,
                "The left side of `:=` must be a variable name (start with $)",
            ));
        };
        let value = self.expression(9)?;
        self.node(RawKind::Bind(name, Box::new(value)), pos)
    }

    /// `left@$var` and `left#$var`.
    fn binding(&mut self, pos: usize, left: Raw, op: &'static str) -> Result<Raw> {
        let rhs = self.expression(80)?;
        let start = rhs.start();
        let RawKind::Variable(name) = rhs.kind else {
            return Err(Error::new(
                "S0214",
                start,
                format!("The right side of `{op}` must be a variable name (start with $)"),
            )
            .with_token(op));
        };
        let kind = if op == "@" {
            RawKind::Focus(Box::new(left), name)
        } else {
            RawKind::Index(Box::new(left), name)
        };
        self.node(kind, pos)
    }

    /// `left ? then [: otherwise]`.
    fn condition(&mut self, pos: usize, left: Raw) -> Result<Raw> {
        let then = self.expression(0)?;
        let otherwise = if self.is_op(":") {
            self.advance(true)?;
            Some(Box::new(self.expression(0)?))
        } else {
            None
        };
        self.node(
            RawKind::Condition(Box::new(left), Box::new(then), otherwise),
            pos,
        )
    }

    /// `( expr ; expr ; … )` after the `(`.
    fn block(&mut self, pos: usize) -> Result<Raw> {
        let mut exprs = Vec::new();
        while !self.is_op(")") {
            exprs.push(self.expression(0)?);
            if !self.is_op(";") {
                break;
            }
            self.advance(true)?;
        }
        self.expect(")", false)?;
        self.node(RawKind::Block(exprs), pos)
    }

    /// `[ item, from..to, … ]` after the `[`.
    fn array(&mut self, pos: usize) -> Result<Raw> {
        let mut items = Vec::new();
        if !self.is_op("]") {
            loop {
                let item = self.expression(0)?;
                if self.is_op("..") {
                    let range = self.advance(true)?.start;
                    items.push(self.range(range, item)?);
                } else {
                    items.push(item);
                }
                if !self.is_op(",") {
                    break;
                }
                self.advance(true)?;
            }
        }
        self.expect("]", false)?;
        self.node(RawKind::Array(items), pos)
    }

    /// `from..to` inside an array constructor, after the `..`.
    fn range(&mut self, pos: usize, from: Raw) -> Result<Raw> {
        let to = self.expression(0)?;
        self.node(
            RawKind::Binary(BinaryOp::Range, Box::new(from), Box::new(to)),
            pos,
        )
    }

    /// `{ key: value, … }` after the `{`.
    fn object(&mut self, pos: usize) -> Result<Raw> {
        let pairs = self.object_body()?;
        self.node(RawKind::Object(pairs), pos)
    }

    /// The pairs of an object constructor or grouping, and the closing `}`.
    fn object_body(&mut self) -> Result<Vec<(Raw, Raw)>> {
        let mut pairs = Vec::new();
        if !self.is_op("}") {
            loop {
                let key = self.expression(0)?;
                self.expect(":", true)?;
                let value = self.expression(0)?;
                pairs.push((key, value));
                if !self.is_op(",") {
                    break;
                }
                self.advance(true)?;
            }
        }
        self.expect("}", false)?;
        Ok(pairs)
    }

    /// `| pattern | update [, delete] |` after the first `|`.
    fn transform(&mut self, pos: usize) -> Result<Raw> {
        let pattern = self.expression(0)?;
        self.expect("|", true)?;
        let update = self.expression(0)?;
        let delete = if self.is_op(",") {
            self.advance(true)?;
            Some(Box::new(self.expression(0)?))
        } else {
            None
        };
        self.expect("|", false)?;
        self.node(
            RawKind::Transform(Box::new(pattern), Box::new(update), delete),
            pos,
        )
    }

    /// `left^(<a, >b, c)` after the `^`.
    fn order_by(&mut self, pos: usize, left: Raw) -> Result<Raw> {
        self.expect("(", true)?;
        let mut terms = Vec::new();
        loop {
            let mut descending = false;
            if self.is_op("<") {
                self.advance(true)?;
            } else if self.is_op(">") {
                descending = true;
                self.advance(true)?;
            }
            terms.push((descending, self.expression(0)?));
            if !self.is_op(",") {
                break;
            }
            self.advance(true)?;
        }
        self.expect(")", false)?;
        self.node(RawKind::OrderBy(Box::new(left), terms), pos)
    }

    /// A call `procedure(args)` after the `(`; a lambda definition when the procedure is the
    /// name `function` or `λ`.
    fn call(&mut self, pos: usize, procedure: Raw) -> Result<Raw> {
        let mut args = Vec::new();
        let mut partial = false;
        if !self.is_op(")") {
            loop {
                if self.is_op("?") {
                    partial = true;
                    let q = self.advance(false)?.start;
                    args.push(self.node(RawKind::Placeholder, q)?);
                } else {
                    args.push(self.expression(0)?);
                }
                if !self.is_op(",") {
                    break;
                }
                self.advance(true)?;
            }
        }
        self.expect(")", false)?;
        let is_lambda = matches!(&procedure.kind, RawKind::Name(n) if n == "function" || n == "λ");
        if is_lambda {
            return self.lambda(procedure.pos, args);
        }
        let call = RawKind::Call {
            procedure: Box::new(procedure),
            args,
            partial,
        };
        self.node(call, pos)
    }

    /// The rest of `function(params)<signature>{body}` after the parameter list.
    fn lambda(&mut self, pos: usize, args: Vec<Raw>) -> Result<Raw> {
        let mut params = Vec::new();
        for (i, arg) in args.into_iter().enumerate() {
            let start = arg.start();
            match arg.kind {
                RawKind::Variable(v) => params.push(v),
                _ => {
                    return Err(Error::new(
                        "S0208",
                        start,
                        format!(
                            "Parameter {} of a function definition must be a variable name (start with $)",
                            i + 1
                        ),
                    ));
                }
            }
        }
        let signature = if self.is_op("<") {
            Some(self.signature()?)
        } else {
            None
        };
        self.expect("{", true)?;
        let body = self.expression(0)?;
        self.expect("}", false)?;
        let lambda = Lambda {
            params,
            signature,
            body,
        };
        self.node(RawKind::Lambda(Box::new(lambda)), pos)
    }

    /// A signature `<…>`: its tokens are collected up to the balancing `>` and their text
    /// (without whitespace) is parsed as a signature.
    fn signature(&mut self) -> Result<Signature> {
        let mut text = String::from("<");
        // (offset in `text`, byte offset in the source) of each token, to place errors.
        let mut origins = vec![(0, self.tok.start)];
        let mut depth = 1;
        while depth > 0 && !self.is_op("{") && self.tok.kind != Tok::End {
            self.advance(true)?;
            match self.tok.kind {
                Tok::Op(">") => depth -= 1,
                Tok::Op("<") => depth += 1,
                _ => {}
            }
            origins.push((text.len(), self.tok.start));
            match &self.tok.kind {
                Tok::Name(n) | Tok::Variable(n) | Tok::Str(n) => text.push_str(n),
                Tok::End => {}
                _ => text.push_str(&self.src[self.tok.start..self.tok.end]),
            }
        }
        self.expect(">", true)?;
        parse_signature(&text).map_err(|e| {
            let (at, source) = origins
                .iter()
                .rev()
                .find(|(at, _)| *at <= e.offset)
                .copied()
                .unwrap_or((0, 0));
            // Exact unless a token's text differs from its source (a quoted name).
            let mut position = (source + (e.offset - at)).min(self.src.len());
            while !self.src.is_char_boundary(position) {
                position -= 1;
            }
            Error::new(e.code, position, e.message)
        })
    }
}
